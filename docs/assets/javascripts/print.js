/* The handout's print buttons: shown only where they work (with JavaScript), each opens the browser's
   print dialog. A button with data-print="CLASS" prints only that part of the page (the sheet of
   questions): site.css prints only it while <html> has the class ci-printing-CLASS. No inline
   handler: the page carries no on* attributes. */
document.querySelectorAll(".ci-print-button").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var part = button.getAttribute("data-print");
    var root = document.documentElement;
    if (part) {
      root.classList.add("ci-printing-" + part);
      window.addEventListener("afterprint", function done() {
        root.classList.remove("ci-printing-" + part);
        window.removeEventListener("afterprint", done);
      });
    }
    window.print();
  });
});
