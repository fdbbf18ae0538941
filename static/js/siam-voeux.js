/* SIAM, vos voeux: progressive enhancement only (every action is a plain POST form).
   After moving a voeu, keyboard focus comes back to the same button of the moved voeu,
   so that pressing Enter again keeps moving it. Runs on "load": the DSFR starts on
   DOMContentLoaded and would otherwise take the focus back. */
(function () {
  "use strict";
  function refocus() {
    var direction = new URLSearchParams(window.location.search).get("focus");
    var row = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (!row || !direction) { return; }
    var button = row.querySelector('button[data-move="' + direction + '"]') || row.querySelector("button[data-move]");
    if (button) { button.focus(); }
  }
  window.addEventListener("load", refocus);
})();
