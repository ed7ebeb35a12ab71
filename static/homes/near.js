// "Near me": the phone's position fills the search form's lat/lng and sends it.
(function () {
  "use strict";
  var form = document.querySelector("[data-near-form]");
  if (!form || !navigator.geolocation) return;
  var button = form.querySelector("[data-near-me]");
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.querySelector("[data-near-lat]").value = position.coords.latitude.toFixed(6);
        form.querySelector("[data-near-lng]").value = position.coords.longitude.toFixed(6);
        form.submit();
      },
      function () {
        button.disabled = false;
        button.textContent = button.dataset.denied;
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 }
    );
  });
})();
