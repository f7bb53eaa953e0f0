// Live reload for `archive serve`. Served by the preview server only, never part of a built
// site. Listens to /__archive/events: "reload" reloads the page, "error" shows the failed
// build's message over the page (as text) until a build succeeds.
(function () {
  "use strict";
  var overlay = null;

  function show(message) {
    if (!overlay) {
      overlay = document.createElement("pre");
      overlay.id = "archive-build-error";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("dir", "ltr");
      // Set through the CSSOM, which the page's Content-Security-Policy allows.
      var style = overlay.style;
      style.position = "fixed";
      style.insetInline = "0";
      style.insetBlockStart = "0";
      style.margin = "0";
      style.padding = "1em";
      style.maxHeight = "60vh";
      style.overflow = "auto";
      style.whiteSpace = "pre-wrap";
      style.font = "14px/1.5 monospace";
      style.textAlign = "left";
      style.background = "#fff0f0";
      style.color = "#600";
      style.borderBottom = "4px solid #c00";
      style.zIndex = "2147483647";
      document.body.appendChild(overlay);
    }
    overlay.textContent = message;
  }

  var events = new EventSource("/__archive/events");
  events.addEventListener("reload", function () {
    window.location.reload();
  });
  events.addEventListener("error", function (event) {
    // The same name is used by EventSource for a lost connection, which has no data.
    if (typeof event.data === "string") {
      show(event.data);
    }
  });
})();
