// A participant's check-in: the venue's code (read by the scanner, or in this page's address
// when the phone's own camera opened it) is sent with a nonce of this scan and, if the phone
// gives it, its position. Offline, the scan is kept on the phone and sent when it is back
// online; the server counts a scan once however often it arrives (its nonce).
(function () {
  "use strict";
  var box = document.querySelector("[data-checkin]");
  if (!box || !window.fetch || !window.localStorage) return;
  var KEY = "yv.activity-scans";
  var form = box.querySelector("[data-scanner-form]");
  var status = box.querySelector("[data-scanner-status]");
  var pending = box.querySelector("[data-pending]");
  var csrf = form.elements.csrfmiddlewaretoken.value;

  function kept() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "[]");
    } catch (e) {
      return [];
    }
  }

  function keep(list) {
    localStorage.setItem(KEY, JSON.stringify(list));
    pending.hidden = !list.length;
    pending.textContent = pending.dataset.text + " " + list.length;
  }

  function nonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(16) + Math.random().toString(16).slice(2);
  }

  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) return resolve(null);
      navigator.geolocation.getCurrentPosition(
        function (found) { resolve(found.coords); },
        function () { resolve(null); },
        { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 }
      );
    });
  }

  function post(scan) {
    return fetch(box.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(scan),
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, body: body };
      });
    });
  }

  function shown(answer) {
    if (answer.ok) {
      status.textContent = box.dataset.done + " " + answer.body.title;
      status.dataset.state = "done";
    } else {
      status.textContent = (answer.body.error && answer.body.error.message) || box.dataset.failed;
      status.dataset.state = "refused";
    }
  }

  function later(scan) {
    scan.is_offline = true;
    var list = kept();
    list.push(scan);
    keep(list);
    status.textContent = box.dataset.kept;
    status.dataset.state = "kept";
  }

  function send(scan) {
    if (navigator.onLine === false) return later(scan);
    post(scan).then(shown, function () { later(scan); });
  }

  // What was kept offline goes once the phone is online: the oldest first.
  function flush() {
    var list = kept();
    if (!list.length || navigator.onLine === false) return;
    post(list[0]).then(function (answer) {
      keep(kept().slice(1));
      shown(answer);
      flush();
    }, function () {});
  }

  function handle(code) {
    status.textContent = box.dataset.sending;
    position().then(function (coords) {
      var scan = { code: code, nonce: nonce(), is_offline: false };
      if (coords) {
        scan.latitude = coords.latitude;
        scan.longitude = coords.longitude;
        scan.accuracy_m = coords.accuracy;
      }
      send(scan);
      box.dispatchEvent(new CustomEvent("qr-again"));
    });
  }

  box.addEventListener("qr", function (event) {
    event.preventDefault();
    handle(event.detail);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = form.elements.code.value.trim();
    if (code) handle(code);
  });
  window.addEventListener("online", flush);
  keep(kept());
  flush();
  if (box.dataset.auto) handle(box.dataset.auto);
})();
