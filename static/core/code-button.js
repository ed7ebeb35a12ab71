// 获取验证码: after a code was sent the button waits out the resend interval (the server says
// how long in data-wait), counting down each second, then may be pressed again.
(function () {
  "use strict";
  document.querySelectorAll("[data-countdown]").forEach(function (button) {
    var label = button.textContent;
    var template = button.getAttribute("data-wait-label") || "{n}";
    var left = parseInt(button.getAttribute("data-wait") || "0", 10) || 0;
    function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.disabled = true;
      button.textContent = template.replace("{n}", String(left));
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  });
})();
