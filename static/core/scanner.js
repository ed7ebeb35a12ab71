// A QR scanner: a code read from the camera, or from a photo of it, is announced as a "qr"
// event on the [data-scanner] box; unless a listener takes it (preventDefault), it fills the
// box's form and sends it. jsQR (static/vendor/jsqr) decodes; nothing leaves the page but
// the code.
(function () {
  "use strict";
  var box = document.querySelector("[data-scanner]");
  if (!box || typeof jsQR !== "function") return;
  var form = box.querySelector("[data-scanner-form]");
  var input = form.querySelector("input[name=code]");
  var status = box.querySelector("[data-scanner-status]");
  var video = box.querySelector("[data-scanner-video]");
  var start = box.querySelector("[data-scanner-start]");
  var photo = box.querySelector("[data-scanner-photo]");
  var canvas = document.createElement("canvas");
  var sent = false;

  function read(source, width, height) {
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, width, height);
    var found = jsQR(context.getImageData(0, 0, width, height).data, width, height);
    return found && found.data ? found.data.trim() : "";
  }

  function send(code) {
    if (sent) return;
    sent = true;
    var event = new CustomEvent("qr", { detail: code, cancelable: true });
    if (!box.dispatchEvent(event)) return;
    input.value = code;
    form.submit();
  }

  // A listener that took a code lets the scanner read the next one.
  box.addEventListener("qr-again", function () {
    sent = false;
    if (!video.hidden) requestAnimationFrame(scan);
  });

  photo.addEventListener("change", function () {
    var file = photo.files && photo.files[0];
    if (!file) return;
    // Read as a data: address (the page's policy allows no blob: images).
    var reader = new FileReader();
    reader.onload = function () {
      var image = new Image();
      image.onload = function () {
        var code = read(image, image.naturalWidth, image.naturalHeight);
        if (code) send(code);
        else status.textContent = photo.dataset.unread;
      };
      image.src = reader.result;
    };
    reader.readAsDataURL(file);
  });

  function scan() {
    if (sent) return;
    if (video.readyState >= 2) {
      var code = read(video, video.videoWidth, video.videoHeight);
      if (code) return send(code);
    }
    requestAnimationFrame(scan);
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  start.hidden = false;
  start.addEventListener("click", function () {
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        start.hidden = true;
        return video.play();
      })
      .then(scan)
      .catch(function () {
        status.textContent = start.dataset.noCamera;
      });
  });
})();
