// Reading mode: quiet highlighting unless the reader asked for full, remembered on this
// device. Without JavaScript the page stays quiet, with every mention still a link.
(function () {
  "use strict";
  var KEY = "archive.highlight";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (e) {
      return null; // storage refused (private mode, some file:// setups): stay quiet
    }
  }

  function apply(mode) {
    root.setAttribute("data-highlight", mode);
    var buttons = document.querySelectorAll(".highlight-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", mode === "full" ? "true" : "false");
    }
  }

  // Before the page is drawn, so it does not flash from quiet to full.
  apply(stored() === "full" ? "full" : "quiet");

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll(".highlight-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        var mode = root.getAttribute("data-highlight") === "full" ? "quiet" : "full";
        try {
          window.localStorage.setItem(KEY, mode);
        } catch (e) {
          // not remembered, but still applied
        }
        apply(mode);
      });
    }
    apply(root.getAttribute("data-highlight"));
  });
})();
