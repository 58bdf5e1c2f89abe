// The sandbox's web chat: shows one chat of the chosen person, sends what they write and
// press, and moves the bot's clock. Text is always put into the page as text (with its
// entities drawn as elements), never parsed as HTML.
"use strict";

(() => {
  const config = JSON.parse(document.body.dataset.config);
  const words = config.words;
  const $ = (id) => document.getElementById(id);
  const list = $("messages");
  const composer = $("composer");
  const textBox = $("text");
  const fileBox = $("file");
  const toast = $("toast");

  const state = {
    chat: "private",
    revision: -1,
    replyTo: null,
    poll: null,
    shown: "",
  };

  const chatId = () => config.personas[config.persona][state.chat];
  const api = (path, params = {}) => {
    const query = new URLSearchParams({ persona: config.persona, lang: config.language, ...params });
    return `${path}?${query}`;
  };

  // -- small helpers ---------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  let toastTimer = null;
  function say(text, alert = false) {
    if (!text) return;
    toast.textContent = text;
    toast.classList.toggle("alert", alert);
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toast.hidden = true; }, alert ? 8000 : 4000);
  }

  async function answerOf(response) {
    let body = {};
    try { body = await response.json(); } catch (_) { /* no body */ }
    if (!response.ok) throw new Error(body.error || `${words.failed} (${response.status})`);
    return body;
  }

  // -- drawing text with its entities ----------------------------------------------------

  const INLINE = {
    bold: "strong", italic: "em", underline: "u", strikethrough: "s", spoiler: "span",
    code: "code", pre: "pre", blockquote: "blockquote", expandable_blockquote: "blockquote",
  };
  const LINKABLE = /(https?:\/\/[^\s<>«»"]+|(?<![\w/])\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?)/g;

  function deepLinkPayload(href) {
    try {
      const url = new URL(href);
      if (url.hostname !== "t.me" || url.pathname.slice(1).toLowerCase() !== config.bot.toLowerCase()) {
        return null;
      }
      return url.searchParams.get("start");
    } catch (_) {
      return null;
    }
  }

  function link(href, text) {
    const a = el("a", "link", text);
    a.href = href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }

  function command(text) {
    const node = el("button", "command", text);
    node.type = "button";
    node.dataset.command = text;
    return node;
  }

  // URLs and /commands in plain text become links and sendable commands, as in Telegram.
  function linkified(text) {
    const out = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(LINKABLE)) {
      out.append(text.slice(last, match.index));
      const found = match[0];
      out.append(found.startsWith("/") ? command(found) : link(found, found));
      last = match.index + found.length;
    }
    out.append(text.slice(last));
    return out;
  }

  function wrap(node, entity) {
    let outer;
    if (entity.type === "text_link" || entity.type === "url") {
      outer = link(entity.url || node.textContent, "");
    } else if (entity.type === "bot_command") {
      outer = command("");
    } else if (INLINE[entity.type]) {
      outer = el(INLINE[entity.type], entity.type === "spoiler" ? "spoiler" : "");
    } else {
      return node;
    }
    outer.append(node);
    if (entity.type === "bot_command") outer.dataset.command = outer.textContent;
    return outer;
  }

  // Entity offsets count UTF-16 units, which is what JavaScript strings index by.
  function richText(text, entities) {
    const cuts = new Set([0, text.length]);
    for (const e of entities) { cuts.add(e.offset); cuts.add(e.offset + e.length); }
    const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
    const ordered = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
    const out = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [start, end] = [points[i], points[i + 1]];
      const active = ordered.filter((e) => e.offset <= start && e.offset + e.length >= end);
      const piece = text.slice(start, end);
      const inLink = active.some((e) => ["text_link", "url", "bot_command", "code", "pre"].includes(e.type));
      let node = inLink ? document.createTextNode(piece) : linkified(piece);
      for (const entity of [...active].reverse()) {
        const holder = document.createElement("span");
        holder.append(node);
        node = wrap(holder.childNodes.length === 1 ? holder.firstChild : holder, entity);
      }
      out.append(node);
    }
    return out;
  }

  // -- drawing messages ------------------------------------------------------------------

  function drawButtons(message) {
    const box = el("div", "keyboard");
    for (const row of message.buttons) {
      const line = el("div", "row");
      for (const button of row) {
        if (button.callback_data !== undefined) {
          const node = el("button", "inline", button.text);
          node.type = "button";
          node.dataset.message = String(message.id);
          node.dataset.data = button.callback_data;
          line.append(node);
        } else if (button.web_app !== undefined) {
          // A Mini App's button opens it with the persona's initData, as Telegram would.
          const node = link(button.web_app, button.text);
          node.classList.add("web-app");
          line.append(node);
        } else if (button.url !== undefined) {
          line.append(link(button.url, button.text));
        }
      }
      box.append(line);
    }
    return box;
  }

  function drawAttachment(attachment) {
    if (attachment.kind === "photo") {
      const box = el("div", "picture");
      const img = el("img", "photo");
      img.src = attachment.url;
      img.alt = "";
      const open = link(attachment.url, "");
      open.append(img);
      const save = link(attachment.download, words.download);
      save.setAttribute("download", "");
      save.className = "doc-name";
      box.append(open, save);
      return box;
    }
    const box = el("div", "document");
    box.append(el("span", "doc-icon", "📄"));
    const a = link(attachment.url, attachment.name);
    a.setAttribute("download", attachment.name);
    a.className = "doc-name";
    a.title = words.download;
    box.append(a);
    box.append(el("span", "doc-size", `${Math.max(1, Math.round(attachment.size / 1024))} KB`));
    return box;
  }

  function drawMessage(message) {
    const item = el("li", `message ${message.mine ? "mine" : "theirs"}${message.sender.bot ? " bot" : ""}`);
    item.dataset.id = String(message.id);
    const bubble = el("div", "bubble");
    if (!message.mine && state.chat === "group") bubble.append(el("div", "sender", message.sender.name));
    if (message.reply_to) {
      const quote = el("div", "quote");
      quote.append(el("span", "quote-sender", message.reply_to.sender));
      quote.append(el("span", "quote-text", message.reply_to.text));
      bubble.append(quote);
    }
    if (message.attachment) bubble.append(drawAttachment(message.attachment));
    if (message.text) {
      const body = el("div", "text");
      body.append(richText(message.text, message.entities));
      bubble.append(body);
    }
    const meta = el("div", "meta");
    const reply = el("button", "reply", words.reply);
    reply.type = "button";
    reply.dataset.reply = String(message.id);
    meta.append(reply);
    if (message.edited) meta.append(el("span", "edited", words.edited));
    meta.append(el("time", "time", message.time));
    bubble.append(meta);
    item.append(bubble);
    if (message.buttons.length) item.append(drawButtons(message));
    return item;
  }

  function draw(messages) {
    const key = JSON.stringify(messages);
    if (key === state.shown) return;
    state.shown = key;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.replaceChildren();
    if (!messages.length) list.append(el("li", "empty", words.empty));
    let day = null;
    for (const message of messages) {
      if (message.day !== day) {
        day = message.day;
        list.append(el("li", "day", message.day_label));
      }
      list.append(drawMessage(message));
    }
    if (atBottom || list.dataset.fresh !== "no") list.scrollTop = list.scrollHeight;
    list.dataset.fresh = "no";
  }

  // The menu button beside the message field, when the bot set one that opens a Mini App.
  function drawMenu(menu) {
    const node = $("web-app");
    if (!node) return;
    node.hidden = !menu;
    if (!menu) return;
    node.textContent = menu.text;
    node.href = menu.url;
  }

  // -- following the chat ----------------------------------------------------------------

  async function follow() {
    const mine = new AbortController();
    if (state.poll) state.poll.abort();
    state.poll = mine;
    while (!mine.signal.aborted) {
      try {
        const response = await fetch(api(`api/chats/${chatId()}`, { after: state.revision }), { signal: mine.signal });
        if (response.status === 204) continue;
        const body = await answerOf(response);
        if (mine.signal.aborted) return;
        state.revision = body.revision;
        draw(body.messages);
        drawMenu(body.menu);
      } catch (error) {
        if (mine.signal.aborted) return;
        await new Promise((done) => setTimeout(done, 1000));
      }
    }
  }

  function openChat(kind) {
    state.chat = kind;
    state.revision = -1;
    state.shown = "";
    list.dataset.fresh = "yes";
    setReply(null);
    for (const tab of document.querySelectorAll(".chat-tab")) {
      tab.setAttribute("aria-pressed", String(tab.dataset.chat === kind));
    }
    $("chat-title").textContent = document.querySelector(`.chat-tab[data-chat="${kind}"]`).textContent;
    list.replaceChildren();
    follow();
  }

  // -- what the person does --------------------------------------------------------------

  function setReply(id) {
    state.replyTo = id;
    $("replying").hidden = id === null;
    if (id !== null) {
      const bubble = list.querySelector(`li[data-id="${id}"] .text, li[data-id="${id}"] .doc-name`);
      $("replying-text").textContent = bubble ? bubble.textContent.slice(0, 80) : `#${id}`;
      textBox.focus();
    }
  }

  async function send(text, { file = null, replyTo = state.replyTo, chat = chatId() } = {}) {
    const form = new FormData();
    form.append("persona", config.persona);
    form.append("text", text);
    if (replyTo !== null) form.append("reply_to", String(replyTo));
    if (file) form.append("file", file);
    const response = await fetch(api(`api/chats/${chat}/messages`), { method: "POST", body: form });
    return answerOf(response);
  }

  composer.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = textBox.value;
    const file = fileBox.files[0] || null;
    if (!text.trim() && !file) return;
    $("send").disabled = true;
    try {
      await send(text, { file });
      textBox.value = "";
      fileBox.value = "";
      $("file-name").textContent = "";
      setReply(null);
    } catch (error) {
      say(error.message, true);
    } finally {
      $("send").disabled = false;
      textBox.focus();
    }
  });

  textBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  fileBox.addEventListener("change", () => {
    $("file-name").textContent = fileBox.files[0] ? fileBox.files[0].name : "";
  });

  $("cancel-reply").addEventListener("click", () => setReply(null));

  async function press(button) {
    button.disabled = true;
    try {
      const response = await fetch(api(`api/chats/${chatId()}/buttons`), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ persona: config.persona, message_id: Number(button.dataset.message), data: button.dataset.data }),
      });
      const answer = await answerOf(response);
      say(answer.text, answer.alert);
    } catch (error) {
      say(error.message, true);
    } finally {
      button.disabled = false;
    }
  }

  list.addEventListener("click", async (event) => {
    const target = event.target.closest("button, a");
    if (!target) return;
    if (target.dataset.reply) {
      setReply(Number(target.dataset.reply));
    } else if (target.dataset.data !== undefined) {
      await press(target);
    } else if (target.dataset.command) {
      try { await send(target.dataset.command, { replyTo: null }); } catch (error) { say(error.message, true); }
    } else if (target.tagName === "A") {
      // An invitation's deep link starts the bot with its payload, as Telegram does.
      const payload = deepLinkPayload(target.href);
      if (payload === null) return;
      event.preventDefault();
      const privateChat = config.personas[config.persona].private;
      try {
        await send(`/start ${payload}`, { replyTo: null, chat: privateChat });
        if (state.chat !== "private") openChat("private");
      } catch (error) {
        say(error.message, true);
      }
    }
  });

  // -- the command menu ------------------------------------------------------------------

  const menu = $("command-menu");
  for (const entry of config.commands) {
    const item = el("li");
    const button = command(`/${entry.command}`);
    button.append(el("span", "description", entry.description));
    button.dataset.command = `/${entry.command}`;
    item.append(button);
    menu.append(item);
  }
  $("commands").addEventListener("click", () => { menu.hidden = !menu.hidden; });
  menu.addEventListener("click", (event) => {
    const target = event.target.closest("button");
    if (!target) return;
    menu.hidden = true;
    textBox.value = `${target.dataset.command} `;
    textBox.focus();
  });

  // -- chats and the clock ---------------------------------------------------------------

  for (const tab of document.querySelectorAll(".chat-tab")) {
    tab.addEventListener("click", () => openChat(tab.dataset.chat));
  }

  const jumps = [...document.querySelectorAll(".jump")];
  for (const button of jumps) {
    button.addEventListener("click", async () => {
      for (const b of jumps) b.disabled = true;
      $("clock-note").textContent = words.jumping;
      try {
        const response = await fetch(api("api/clock"), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ jump: button.dataset.jump }),
        });
        const body = await answerOf(response);
        $("clock-now").textContent = body.label;
        $("clock-note").textContent = body.note;
      } catch (error) {
        $("clock-note").textContent = error.message;
      } finally {
        for (const b of jumps) b.disabled = false;
      }
    });
  }

  // The clock runs: show it as it goes.
  setInterval(async () => {
    try {
      const body = await answerOf(await fetch(api("api/clock")));
      if (!jumps[0].disabled) $("clock-now").textContent = body.label;
    } catch (_) { /* the next look will do */ }
  }, 20000);

  openChat("private");
})();
