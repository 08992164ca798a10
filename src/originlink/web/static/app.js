// OriginLink pages: small behaviours that need no server round trip. Everything works without
// this file (forms post to the server); it only adds conveniences.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A confirmation before actions that cannot be undone (buttons with data-confirm).
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
});
