// Confirmation before irreversible actions: <form data-confirm="…">.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// Move focus to the error summary so screen readers announce it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
});
// A table wider than the screen scrolls inside its box: let keyboard users reach (and so
// scroll) that box, and name it after the table's caption or its section's heading. It is a
// named group, not a region: a landmark would repeat the name of the section around it.
function markScrollableTables() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      if (box.hasAttribute("tabindex")) { return; }
      var caption = box.querySelector("caption");
      var section = box.closest("section");
      var heading = section && section.querySelector("h2, h3");
      var label = (caption || heading || {}).textContent;
      box.setAttribute("tabindex", "0");
      if (label) {
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", label.trim());
      }
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollableTables);
window.addEventListener("resize", markScrollableTables);
