// The workbench's pages: confirmation before closing or rejecting, ready answers inserted into
// the answer box, deadlines counting down, and the transfer picker (search by name, and the
// committee tree opened branch by branch from /api/v1/directory/). Every form still works
// without this script; the server refuses a close or a rejection that is not confirmed.
(function () {
  "use strict";

  // ---- confirmation: a dialog instead of the "I am sure" box
  const dialog = document.querySelector(".wb-dialog");
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    const box = form.querySelector("input[name=confirm]");
    if (!dialog || !box || typeof dialog.showModal !== "function") return;
    box.closest(".wb-confirm").hidden = true;
    box.required = false;
    form.addEventListener("submit", function (event) {
      if (box.checked) return;
      event.preventDefault();
      dialog.querySelector("[data-dialog-text]").textContent = form.dataset.confirm;
      dialog.returnValue = "";
      dialog.onclose = function () {
        if (dialog.returnValue === "ok") {
          box.checked = true;
          form.requestSubmit ? form.requestSubmit() : form.submit();
        }
      };
      dialog.showModal();
    });
  });

  // ---- ready answers
  document.querySelectorAll("select[data-template-for]").forEach(function (select) {
    const box = document.getElementById(select.dataset.templateFor);
    select.addEventListener("change", function () {
      const option = select.selectedOptions[0];
      if (!option || !option.dataset.body) return;
      box.value = box.value.trim() ? box.value.trimEnd() + "\n\n" + option.dataset.body : option.dataset.body;
      box.focus();
      select.value = "";
    });
  });

  // ---- countdowns
  const wordsNode = document.getElementById("countdown-words");
  const words = wordsNode ? JSON.parse(wordsNode.textContent) : null;
  function fill(pattern, values) {
    return pattern.replace(/%\((\w+)\)s/g, function (_m, key) { return String(values[key]); });
  }
  function span(ms) {
    let minutes = Math.max(0, Math.floor(ms / 60000));
    const d = Math.floor(minutes / 1440);
    minutes -= d * 1440;
    const h = Math.floor(minutes / 60);
    const m = minutes - h * 60;
    if (d) return fill(words.dh, { d: d, h: h });
    if (h) return fill(words.hm, { h: h, m: m });
    return fill(words.m, { m: m });
  }
  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (node) {
      const left = Date.parse(node.getAttribute("datetime")) - now;
      const level = left <= 0 ? "overdue" : left < 2 * 3600e3 ? "urgent" : left < 8 * 3600e3 ? "soon" : "ok";
      node.className = "countdown is-" + level;
      node.textContent = fill(left <= 0 ? words.overdue : words.left, { time: span(Math.abs(left)) });
    });
  }
  if (words && document.querySelector("[data-countdown]")) setInterval(tick, 30000);

  // ---- the transfer picker: the committee tree (static/tenants/committee-tree.js) with a
  // radio button for each committee; the expand link without script opens the branch here.
  const picker = document.querySelector("form[data-picker]");
  if (!picker || !window.CommitteeTree) return;
  const tree = picker.querySelector("[data-picker-tree]");
  const chosen = picker.querySelector("[data-picker-chosen]");
  const find = document.querySelector("form[data-picker-find]");
  const here = picker.dataset.here;
  const widget = window.CommitteeTree({
    texts: picker.dataset,
    groupRole: "group",
    entry: function (li, entry, meta) {
      li.setAttribute("role", "treeitem");
      li.setAttribute("aria-expanded", "false");
      const label = document.createElement("label");
      label.className = "wb-pick";
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "to";
      radio.value = entry.code;
      radio.dataset.title = entry.title;
      radio.disabled = entry.code === here;
      const name = document.createElement("span");
      name.textContent = entry.title;
      label.append(radio, " ", name, " ", meta);
      li.append(label);
    },
    expandHref: function (code) { return "?branch=" + encodeURIComponent(code) + "#transfer"; },
  });
  // The server renders the roots with the level below already open.
  function markOpen() {
    tree.querySelectorAll(":scope > li").forEach(function (li) {
      if (li.querySelector(":scope > ul")) li.setAttribute("aria-expanded", "true");
    });
  }
  const wholeTree = tree.innerHTML;
  markOpen();
  widget.expandWithin(tree);

  tree.addEventListener("change", function (event) {
    if (event.target.name !== "to") return;
    chosen.textContent = chosen.dataset.prefix + " " + event.target.dataset.title;
    chosen.classList.add("is-chosen");
  });

  if (find) {
    widget.searchFrom(find.querySelector("input[name=find]"), function () {
      tree.innerHTML = wholeTree;
      markOpen();
      return tree;
    }, find);
  }

  picker.addEventListener("submit", function (event) {
    if (!picker.querySelector("input[name=to]:checked")) {
      event.preventDefault();
      chosen.textContent = chosen.dataset.none;
      chosen.classList.add("is-missing");
    }
  });
})();
