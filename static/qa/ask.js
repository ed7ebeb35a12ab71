// The ask page: while a youth types, answered questions like theirs appear right under the
// title, and the category the platform would choose under the category field.
(function () {
  const form = document.getElementById("ask");
  if (!form) return;
  const title = form.elements.title, body = form.elements.body;
  const similar = document.getElementById("similar");
  const list = similar.querySelector("ul");
  const hint = document.getElementById("suggested-category");
  const names = Object.fromEntries([...form.elements.category.options].map((o) => [o.value, o.text]));
  const label = hint.dataset.label;
  let timer, asked = 0;

  async function look() {
    const mine = ++asked;
    if (!title.value.trim() && !body.value.trim()) {
      similar.hidden = hint.hidden = true;
      return;
    }
    const params = new URLSearchParams({ title: title.value, body: body.value });
    const response = await fetch("/api/v1/questions/similar/?" + params, { headers: { Accept: "application/json" } });
    if (mine !== asked) return; // typed on meanwhile: a newer look-up follows
    const found = response.ok ? await response.json() : [];
    list.replaceChildren(...found.map((q) => {
      const li = document.createElement("li"), a = document.createElement("a");
      a.href = "/questions/" + q.id + "/";
      a.textContent = q.title;
      li.append(a);
      return li;
    }));
    similar.hidden = found.length === 0;
    const answer = await fetch("/api/v1/questions/classify/", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
      body: JSON.stringify({ title: title.value, body: body.value }),
    });
    if (mine !== asked || !answer.ok) return;
    const suggestion = await answer.json();
    hint.textContent = label + " " + (names[suggestion.category] || suggestion.category);
    hint.hidden = false;
  }

  for (const field of [title, body]) {
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(look, 300);
    });
  }
})();
