// The ask page: while a youth types, answered questions like theirs appear right under the
// title, and the category the platform would choose under the category field. When the best
// of them says the same thing (a duplicate), its answer is offered above the submit: taking
// it records the deflection and asks nothing; "ask anyway" posts, noting what was offered.
(function () {
  const form = document.getElementById("ask");
  if (!form) return;
  const title = form.elements.title, body = form.elements.body, offered = form.elements.offered;
  const similar = document.getElementById("similar");
  const list = similar.querySelector("ul");
  const hint = document.getElementById("suggested-category");
  const card = document.getElementById("duplicate");
  const part = (role) => card.querySelector(`[data-role=${role}]`);
  const names = Object.fromEntries([...form.elements.category.options].map((o) => [o.value, o.text]));
  const label = hint.dataset.label;
  let timer, asked = 0, deflect = card.hidden ? "" : "/api/v1/questions/" + offered.value + "/deflections/";

  function offer(duplicate) {
    if (!duplicate) {
      // Typed on to something else: the card goes, what was offered stays noted.
      card.hidden = true;
      deflect = "";
      return;
    }
    const question = duplicate.question, answer = duplicate.answer;
    offered.value = question.id;
    deflect = duplicate.deflect;
    const link = part("question");
    link.href = part("read").href = duplicate.link;
    link.textContent = question.title;
    const kind = document.createElement("span");
    kind.className = "badge kind";
    kind.textContent = answer.author_kind_name;
    const by = [kind];
    if (answer.organisation) {
      const organisation = document.createElement("span");
      organisation.className = "reply-name";
      organisation.textContent = answer.organisation;
      by.push(organisation);
    }
    part("by").replaceChildren(...by);
    const lines = answer.body.split("\n");
    part("answer").replaceChildren(...lines.flatMap((line, i) => (i ? [document.createElement("br"), line] : [line])));
    part("choices").hidden = false;
    part("done").hidden = part("failed").hidden = true;
    card.hidden = false;
  }

  async function take(event) {
    if (!deflect) return; // no script-filled card: the form posts it
    event.preventDefault();
    const answer = await fetch(deflect, {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
    });
    part("failed").hidden = answer.ok;
    if (!answer.ok) return;
    part("choices").hidden = true;
    part("done").hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    clearTimeout(timer);
    asked++; // nothing typed from now on changes the card
  }

  async function look() {
    const mine = ++asked;
    if (!title.value.trim() && !body.value.trim()) {
      similar.hidden = hint.hidden = true;
      offer(null);
      return;
    }
    const params = new URLSearchParams({ title: title.value, body: body.value, with_duplicate: "true" });
    const response = await fetch("/api/v1/questions/similar/?" + params, { headers: { Accept: "application/json" } });
    if (mine !== asked) return; // typed on meanwhile: a newer look-up follows
    const found = response.ok ? await response.json() : { results: [], duplicate: null };
    list.replaceChildren(...found.results.map((q) => {
      const li = document.createElement("li"), a = document.createElement("a");
      a.href = "/questions/" + q.id + "/";
      a.textContent = q.title;
      li.append(a);
      return li;
    }));
    similar.hidden = found.results.length === 0;
    offer(found.duplicate);
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

  form.elements.take.addEventListener("click", take);
  for (const field of [title, body]) {
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(look, 300);
    });
  }
})();
