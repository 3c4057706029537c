// SOP Aplikasi — accessible names for controls that Django's admin scripts build at run time.
// Loaded from a file (the Content-Security-Policy forbids inline script); watches the page,
// so rows added later (inlines, pop-ups) are fixed too.
(function () {
  "use strict";
  function fix(root) {
    // SelectFilter2 (two-box multi-select): a <span> with aria-label but no role; give it one.
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (span) {
      span.setAttribute("role", "img");
    });
    // select2 (autocomplete fields): the combobox is labelled only by its current value.
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling;
      if (!select || !select.id) { return; }
      var label = document.querySelector('label[for="' + select.id + '"]');
      if (!label) { return; }
      if (!label.id) { label.id = select.id + "-label"; }
      var current = box.getAttribute("aria-labelledby") || "";
      if (current.split(" ").indexOf(label.id) === -1) {
        box.setAttribute("aria-labelledby", (label.id + " " + current).trim());
      }
      // The read-only text box inside that shows the chosen value.
      var shown = box.querySelector(".select2-selection__rendered[role=textbox]");
      if (shown && !shown.hasAttribute("aria-labelledby")) {
        shown.setAttribute("aria-labelledby", label.id);
      }
    });
  }
  function start() {
    fix(document);
    new MutationObserver(function () { fix(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
