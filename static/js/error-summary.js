/* The error summary of a failed form (templates/_error_summary.html): focus it on load, so that
   screen readers announce it and the keyboard starts there; its links focus their field. */
(function () {
  "use strict";
  function focusField(event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    // The field's label (or fieldset legend) stays in view above the field.
    var label = document.querySelector("label[for='" + target.id + "']") || target;
    label.scrollIntoView({block: "start", behavior: "instant"});
    window.scrollBy({top: -12, behavior: "instant"});  // a little room above the label
    target.focus({preventScroll: true});
  }
  function init() {
    var summary = document.getElementById("ringkasan-kesalahan");
    if (!summary) return;
    summary.addEventListener("click", focusField);
    summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
