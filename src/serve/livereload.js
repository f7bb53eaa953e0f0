// Live reload for `archive serve`. Served by the preview server only, never part of a built
// site. Listens to /__archive/events: "reload" names the pages just written ("*" for all),
// and the page reloads if it is one of them; "error" shows the failed build's message over
// the page (as text) until a build succeeds.
(function () {
  "use strict";
  var overlay = null;
  // The page's path in the site, which the server puts on this script's tag; none on a page
  // the site does not have (yet): that one reloads for any build.
  var script = document.currentScript;
  var page = script ? script.getAttribute("data-page") : null;

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
  events.addEventListener("reload", function (event) {
    var written = JSON.parse(event.data);
    if (written === "*" || !page || written.indexOf(page) >= 0) {
      window.location.reload();
    } else if (overlay) {
      // The build succeeded and this page did not change: it is the site as it is now.
      overlay.remove();
      overlay = null;
    }
  });
  events.addEventListener("error", function (event) {
    // The same name is used by EventSource for a lost connection, which has no data.
    if (typeof event.data === "string") {
      show(event.data);
    }
  });
})();
