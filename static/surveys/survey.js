// A survey's display conditions: a question shown only after an earlier question's option
// is chosen ("3:1" — question 3, its second option) is hidden until then. The server holds
// to the same conditions whatever the page sends.
(function () {
  "use strict";
  var form = document.querySelector("[data-survey]");
  if (!form) return;
  var conditional = form.querySelectorAll("[data-shown-if]");
  function update() {
    conditional.forEach(function (question) {
      var parts = question.dataset.shownIf.split(":");
      var chosen = form.querySelector('[name="q' + parts[0] + '"][value="' + parts[1] + '"]:checked');
      question.hidden = !chosen;
    });
  }
  form.addEventListener("change", update);
  update();
})();
