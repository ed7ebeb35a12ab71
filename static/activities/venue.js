// The venue's screen: the check-in code changes every 30 seconds, so the page fetches the
// next one as the shown one expires. Without the network it keeps trying; the code shown
// stays readable until it is replaced.
(function () {
  "use strict";
  var box = document.querySelector("[data-venue]");
  if (!box || !window.fetch) return;
  var image = box.querySelector("[data-venue-code]");
  var left = box.querySelector("[data-venue-left]");
  var expires = Date.parse(box.dataset.expires);

  function refresh() {
    fetch(box.dataset.api, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (body) {
        image.innerHTML = body.svg;
        image.dataset.code = body.code;
        expires = Date.parse(body.expires_at);
      })
      .catch(function () {
        expires = Date.now() + 3000;
      });
  }

  setInterval(function () {
    var seconds = Math.max(0, Math.ceil((expires - Date.now()) / 1000));
    left.textContent = seconds;
    if (seconds === 0) {
      expires = Date.now() + 5000;  // one request at a time
      refresh();
    }
  }, 500);
})();
