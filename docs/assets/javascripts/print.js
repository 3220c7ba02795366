/* The handout's print button: shown only where it works (with JavaScript), it opens the browser's
   print dialog. No inline handler: the page carries no on* attributes. */
document.querySelectorAll(".ci-print-button").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
