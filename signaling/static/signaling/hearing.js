/* The hearing page: one WebSocket speaking protocol v1 (docs/protocol.md). No build step.
 *
 * Phases (data-phase on #call): "check" (the device check, precheck.js), "waiting" (the waiting
 * room with the scheduled time and what happens next), "live" (the call: the stage, a side panel
 * for participants, chat or more controls, and the bottom bar), "ended" (the end screen: left,
 * closed, removed...; rejoin or back to the case). Controls are drawn from the current state and
 * exist only while they work. Dialogs (<dialog>) ask for the identity check's method and confirm
 * what cannot be undone (ending the hearing, refusing or removing someone).
 */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("hearing-config").textContent);
  const T = cfg.strings;
  const may = new Set(cfg.may);
  const TRIBUNAL = ["presiding", "arbitrator", "mediator", "clerk"];
  const VERIFIABLE = ["applicant", "respondent", "agent", "witness", "interpreter"];
  // Close codes after which the page does not reconnect, and the end screen they lead to.
  const FINAL = { 4401: "denied", 4403: "denied", 4404: "denied", 4409: "replaced", 4410: "closed", 1000: "left" };
  const state = { hearing: null, you: null, seats: new Map(), rooms: new Map(), seq: 0, side: null, unread: 0 };
  let ws = null, refs = 0, retry = 0, stopped = false, ended = null;
  const CAPTION_LINES = 3;
  let captions = []; // the last few captions; a final replaces the partials of its seq

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...kids) => {
    const n = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "onclick") n.onclick = v;
      else if (v === false || v == null) return;
      else n.setAttribute(k, v === true ? "" : v);
    });
    kids.forEach((k) => n.append(k));
    return n;
  };
  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (m, k) => (k in values ? values[k] : m));
  const csrf = () => (document.querySelector(".hearing-page input[name=csrfmiddlewaretoken]") || {}).value || "";
  const wide = () => window.matchMedia("(min-width: 1000px)").matches;
  // A phone's bar keeps the essentials; the hand and screen sharing move into "More".
  const compact = () => window.matchMedia("(max-width: 600px)").matches;

  function notice(text) {
    const box = $("notice");
    box.textContent = text;
    box.hidden = !text;
  }

  /* The full-width prompt when the browser blocks devices or sound, with how to allow them. */
  function blocked(text, retryLabel, onRetry) {
    $("blocked").hidden = !text;
    $("blocked-text").textContent = text || "";
    $("blocked-retry").textContent = retryLabel || T.tryAgain;
    $("blocked-retry").onclick = onRetry || (() => location.reload());
  }

  function send(type, fields) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return undefined;
    const ref = "r" + ++refs;
    ws.send(JSON.stringify(Object.assign({ type, v: 1, hearing: cfg.hearingId, ref }, fields || {})));
    return ref;
  }

  // Audio and video (media.js): started when you are admitted (or, one way, while you wait).
  const media = window.TribunalMedia ? window.TribunalMedia.create({
    send, notice, blocked, strings: T, iceServers: cfg.iceServers, userId: cfg.userId,
    publish: may.has("media.publish"), // observers only receive (no devices are opened)
    seat: (id) => state.seats.get(id),
    connected: () => !!ws && ws.readyState === WebSocket.OPEN,
    changed: () => render(),
  }) : null;
  window.tribunalMedia = media;

  async function credential() {
    const res = await fetch(cfg.credentialUrl, {
      method: "POST", body: new URLSearchParams(), credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
    });
    if (!res.ok) throw new Error(String(res.status));
    return (await res.json()).credential;
  }

  async function connect() {
    $("conn").textContent = retry ? T.reconnecting : T.connecting;
    let token;
    try { token = await credential(); } catch (e) { notice(T.credentialFailed); return later(); }
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + cfg.wsPath);
    ws.onopen = () => send("hello", { credential: token });
    ws.onmessage = (ev) => handle(JSON.parse(ev.data));
    ws.onclose = (ev) => {
      $("conn").textContent = T.disconnected;
      if (ev.code in FINAL) {
        stopped = true;
        if (media) media.stop(false);
        end(ended || FINAL[ev.code]);
        return;
      }
      later();
    };
  }

  function later() {
    if (stopped) return;
    retry += 1;
    setTimeout(connect, Math.min(10000, 500 * 2 ** Math.min(retry, 5)));
  }

  function handle(f) {
    if (media && media.handle(f)) return;
    switch (f.type) {
      case "welcome":
      case "roster":
        retry = 0;
        $("conn").textContent = T.connected;
        if (f.you) state.you = f.you;
        state.hearing = f.hearing; state.seq = f.seq;
        state.seats = new Map(f.seats.map((s) => [s.user, s]));
        state.rooms = new Map(f.rooms.map((r) => [r.key, r]));
        notice("");
        if (f.type === "welcome" && state.side === null && wide() && (TRIBUNAL.includes(cfg.role))) state.side = "people";
        break;
      case "seat":
        state.seats.set(f.seat.user, f.seat);
        if (f.seat.user === cfg.userId) {
          const wasWaiting = state.you && state.you.room === "waiting";
          state.you = f.seat;
          if (["refused", "removed"].includes(f.seat.admission)) ended = f.seat.admission;
          if (wasWaiting && f.seat.room !== "waiting") send("roster.get");
        }
        break;
      case "room":
        if (f.room.open) state.rooms.set(f.room.key, f.room); else state.rooms.delete(f.room.key);
        break;
      case "hearing":
        state.hearing = f.hearing;
        if (f.hearing.status === "closed") ended = "closed";
        if (!f.hearing.captions) captions = [];
        break;
      case "caption":
        addCaption(f);
        break;
      case "chat":
        addChat(f);
        break;
      case "notice":
        notice(f.message); // rendered in this page's language by the server
        break;
      case "error":
        if (f.code !== "rate_limited") notice(f.message);
        break;
      case "ack":
        if (f.of === "invite" && f.result) notice(fmt(f.result.link_sent ? T.invitedLink : T.invited, { name: f.result.name }));
        break;
    }
    render();
    if (media && ["welcome", "roster", "seat", "hearing"].includes(f.type)) media.sync(state.you, state.hearing, f.type === "welcome");
  }

  // ---- chat and captions ---------------------------------------------------------------------
  function addChat(f) {
    const who = (state.seats.get(f.from.user) || {}).name || f.from.name;
    const time = new Date(f.at).toLocaleTimeString(cfg.language);
    const li = el("li", {}, el("span", { class: "who" }, who), f.text, " ", el("small", {}, time));
    $("chat").append(li);
    if (state.side === "chat") li.scrollIntoView({ block: "end" }); else state.unread += 1;
  }

  /* Speech recognisers loop on a word ("the the the the", "好的好的好的"): runs of three or more
   * repeats are shown once. */
  function damp(text) {
    return text.replace(/\b(\S+)(\s+\1\b){2,}/gi, "$1").replace(/(\S{1,6}?)\1{2,}/g, "$1");
  }

  function addCaption(f) {
    const key = f.speaker + ":" + f.seq;
    const i = captions.findIndex((c) => c.key === key);
    const line = Object.assign({ key }, f, { text: damp(f.text || "") });
    if (i >= 0) captions[i] = line; else captions.push(line);
    captions = captions.slice(-CAPTION_LINES);
  }

  function renderCaptions() {
    const box = $("captions");
    const on = !!state.hearing && !!state.hearing.captions;
    box.replaceChildren(...captions.map((c) => {
      const name = (state.seats.get(c.speaker) || {}).name || c.name;
      const who = fmt(T.captions.line, { name, role: T.roles[c.role] || c.role });
      return el("p", { class: c.final ? "caption" : "caption partial" }, el("span", { class: "who" }, who), " ", c.text);
    }));
    box.hidden = !on || !captions.length;
  }

  // ---- dialogs -------------------------------------------------------------------------------
  /* Ask to confirm; with `input`, also ask for a line of text (a reason, a room name). */
  function confirmDialog({ title, text, ok, input, required }) {
    const dlg = $("confirm-dialog");
    $("confirm-title").textContent = title;
    $("confirm-text").textContent = text || "";
    $("confirm-ok").textContent = ok;
    $("confirm-input").hidden = $("confirm-input-label").hidden = !input;
    $("confirm-input-label").textContent = input || "";
    $("confirm-input").value = "";
    return new Promise((resolve) => {
      $("confirm-cancel").onclick = () => { dlg.close(); resolve(null); };
      $("confirm-form").onsubmit = (ev) => {
        ev.preventDefault();
        const value = $("confirm-input").value.trim();
        if (input && required && !value) return $("confirm-input").focus();
        dlg.close();
        resolve(value);
      };
      dlg.onclose = () => resolve(null);
      dlg.showModal();
      (input ? $("confirm-input") : $("confirm-cancel")).focus();
    });
  }

  function verifyDialog(seat) {
    const dlg = $("verify-dialog");
    $("verify-who").textContent = fmt(T.verifyWho, { name: seat.name, role: T.roles[seat.role] || seat.role });
    $("verify-note").value = "";
    $("verify-error").hidden = true;
    $("verify-cancel").onclick = () => dlg.close();
    $("verify-form").onsubmit = (ev) => {
      ev.preventDefault();
      const method = (dlg.querySelector("input[name=method]:checked") || {}).value;
      const note = $("verify-note").value.trim();
      if (!method || (method === "other" && !note)) { $("verify-error").hidden = false; return; }
      send("identity.verify", { user: seat.user, method, note });
      dlg.close();
    };
    dlg.showModal();
  }

  // ---- controls ------------------------------------------------------------------------------
  function button(label, onclick, cls, extra) {
    return el("button", Object.assign({ type: "button", class: cls || "", onclick }, extra || {}), label);
  }

  // Bottom-bar icons (24x24 paths; no icon font, nothing fetched). "off" draws a slash over one.
  const ICONS = {
    mic: "M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11z",
    camera: "M4 6h11a1 1 0 0 1 1 1v3.5l4-3v9l-4-3V17a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z",
    share: "M3 4h18v12H3zM5 6v8h14V6zM8 18h8v2H8z",
    hand: "M7 11V5a1.5 1.5 0 0 1 3 0v5h1V3.5a1.5 1.5 0 0 1 3 0V10h1V5a1.5 1.5 0 0 1 3 0v9a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-3l-3-5a1.5 1.5 0 0 1 2.5-1.6z",
    chat: "M5 4h14a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-5 4V5a1 1 0 0 1 1-1z",
    people: "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm7 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM1 20c0-4 4-6 8-6s8 2 8 6v1H1zm17 1v-1c0-2-.7-3.6-2-4.8 3.5.3 7 2 7 4.8v1z",
    more: "M5 10a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm7 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm7 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4z",
    leave: "M12 9c-2.4 0-4.7.4-6.8 1.2A2 2 0 0 0 4 12v2.5a1 1 0 0 0 1.2 1l3.3-.7a1 1 0 0 0 .8-1V12a13 13 0 0 1 5.4 0v1.8a1 1 0 0 0 .8 1l3.3.7a1 1 0 0 0 1.2-1V12a2 2 0 0 0-1.2-1.8A19 19 0 0 0 12 9z",
  };
  const SVG = "http://www.w3.org/2000/svg";

  function icon(name, off) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "icon");
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", "currentColor");
    path.setAttribute("fill-rule", "evenodd");
    svg.append(path);
    if (off) {
      const line = document.createElementNS(SVG, "path");
      line.setAttribute("d", "M3 3L21 21");
      line.setAttribute("stroke", "currentColor");
      line.setAttribute("stroke-width", "2.2");
      svg.append(line);
    }
    return svg;
  }

  /* A bottom-bar toggle: an icon and a short label; the label is the accessible name. */
  function barButton(id, name, label, onclick, extra, off) {
    return el("button", Object.assign({ type: "button", id: "bar-" + id, class: "bar-button", onclick }, extra || {}),
      icon(name, off), el("span", { class: "label" }, label));
  }

  /* Replace a box's children only when what they show changed, keeping the keyboard focus (by
   * id or position): the page re-renders on every frame, and a control must not vanish under
   * the pointer or take the focus away. */
  function swap(box, kids) {
    const html = kids.map((k) => k.outerHTML).join("");
    if (box.dataset.sig === html) return;
    const active = document.activeElement;
    const inside = active && box.contains(active);
    const focusables = inside ? [...box.querySelectorAll("button, select, input, a")] : [];
    const index = focusables.indexOf(active), id = inside ? active.id : "";
    box.replaceChildren(...kids);
    box.dataset.sig = html;
    if (!inside) return;
    const again = (id && document.getElementById(id)) || box.querySelectorAll("button, select, input, a")[index];
    if (again) again.focus();
  }

  function roomName(key) {
    const r = state.rooms.get(key);
    return T.rooms[key] || (r && r.label) || key;
  }

  /* Why the admit button is disabled, or "" when admitting works now. */
  function admitBlocker(s) {
    const h = state.hearing || {};
    if (!["open", "in_session", "paused"].includes(h.status)) return T.why.notLive;
    if (s.presence !== "joined") return T.why.notPresent;
    if (h.kind === "arbitration" && VERIFIABLE.includes(s.role) && !s.verified) return T.why.verifyFirst;
    const main = state.rooms.get("main");
    if (main && main.locked) return T.why.locked;
    return "";
  }

  /* What the clerk knows of a waiting person's devices: what of theirs reaches the clerk. */
  function devicesOf(s) {
    if (!media || !media.active || s.role === "observer") return "";
    const sources = new Set(media.layout.filter((x) => x.mid && String(x.participant_id) === String(s.user)).map((x) => x.source));
    if (sources.has("camera") && sources.has("mic")) return T.devices.ok;
    if (sources.has("mic")) return T.devices.audio_only;
    return T.devices.none;
  }

  function personActions(s) {
    const box = el("div", { class: "actions" });
    if (s.user === cfg.userId || ["left", "absent"].includes(s.presence)) return box;
    const waiting = s.room === "waiting";
    if (waiting && may.has("identity.verify") && VERIFIABLE.includes(s.role))
      box.append(button(s.verified ? T.verifyAgain : T.verify, () => verifyDialog(s), s.verified ? "" : "primary"));
    if (waiting && may.has("admit")) {
      const why = admitBlocker(s);
      const b = button(T.admit, () => send("admit", { user: s.user }), "primary", { disabled: !!why, "aria-describedby": why ? "why-" + s.user : false });
      box.append(b);
      if (why) box.append(el("small", { class: "why", id: "why-" + s.user }, why));
    }
    if (waiting && may.has("refuse")) box.append(button(T.refuse, async () => {
      const reason = await confirmDialog({ title: fmt(T.refuseTitle, { name: s.name }), text: T.refuseText, ok: T.refuse, input: T.reason });
      if (reason !== null) send("refuse", { user: s.user, reason });
    }, "danger"));
    if (!waiting && s.admission === "admitted") {
      if (may.has("participant.mute") && !s.muted) box.append(button(T.mute, () => send("participant.mute", { user: s.user })));
      if (may.has("participant.ask_unmute") && s.mute_locked) box.append(button(T.askUnmute, () => send("participant.ask_unmute", { user: s.user })));
      if (may.has("floor.grant")) box.append(s.floor ? button(T.revokeFloor, () => send("floor.grant", { user: null }))
        : button(T.grantFloor, () => send("floor.grant", { user: s.user })));
      if (may.has("room.move") && state.rooms.size > 2) {
        const sel = el("select", { "aria-label": fmt(T.moveWho, { name: s.name }) }, el("option", { value: "" }, T.moveTo));
        state.rooms.forEach((r) => { if (r.key !== s.room) sel.append(el("option", { value: r.key }, roomName(r.key))); });
        sel.onchange = () => sel.value && send("room.move", { user: s.user, room: sel.value });
        box.append(sel);
      }
      if (may.has("participant.remove") && !TRIBUNAL.includes(s.role)) box.append(button(T.remove, async () => {
        const reason = await confirmDialog({ title: fmt(T.removeTitle, { name: s.name }), text: T.removeText, ok: T.remove, input: T.reason });
        if (reason !== null) send("participant.remove", { user: s.user, reason });
      }, "danger"));
    }
    return box;
  }

  function renderPeople() {
    const rooms = document.createElement("div");
    const byRoom = new Map();
    state.seats.forEach((s) => {
      const key = s.room || "";
      if (!byRoom.has(key)) byRoom.set(key, []);
      byRoom.get(key).push(s);
    });
    const keys = ["waiting", "main", ...[...state.rooms.keys()].filter((k) => k !== "main" && k !== "waiting"), ""];
    keys.forEach((key) => {
      const people = byRoom.get(key) || [];
      const room = state.rooms.get(key);
      if (!room && !people.length) return;
      const head = el("h3", {}, key ? roomName(key) : T.presence.left, " ", el("span", { class: "count" }, "(" + people.length + ")"));
      if (room && room.locked) head.append(el("span", { class: "tag" }, T.locked));
      if (room && room.kind === "caucus" && may.has("room.close")) head.append(button(T.closeRoom, () => send("room.close", { room: key })));
      const box = el("div", { class: "room", "data-room": key }, head);
      people.forEach((s) => {
        const tags = el("span", { class: "tags" }, el("span", {}, T.roles[s.role] || s.role), el("span", {}, T.presence[s.presence] || s.presence));
        if (s.user === cfg.userId) tags.append(el("span", {}, T.you));
        if (VERIFIABLE.includes(s.role)) tags.append(el("span", { class: s.verified ? "ok" : "warn" }, s.verified ? T.verified : T.unverified));
        if (key === "waiting" && TRIBUNAL.includes(cfg.role)) { const d = devicesOf(s); if (d) tags.append(el("span", {}, d)); }
        if (s.muted) tags.append(el("span", {}, T.muted));
        if (s.hand_raised) tags.append(el("span", { class: "warn" }, T.handUp));
        if (s.floor) tags.append(el("span", {}, T.floor));
        box.append(el("div", { class: "person", "data-user": String(s.user) }, el("span", { class: "name" }, s.name), tags, personActions(s)));
      });
      rooms.append(box);
    });
    swap($("rooms"), [...rooms.children]);
    const hc = [];
    if (may.has("admit") && [...state.seats.values()].some((s) => s.room === "waiting" && VERIFIABLE.concat(["observer"]).includes(s.role)))
      hc.push(button(T.admitAll, () => send("admit.all")));
    swap($("hearing-controls"), hc);
  }

  function setSide(which) {
    state.side = state.side === which ? null : which;
    if (state.side === "chat") state.unread = 0;
    render();
    if (state.side) {
      const first = $("side").querySelector("button, input, select");
      if (state.side === "chat") $("chat-text").focus(); else if (first) first.focus();
    }
  }

  function leave() {
    ended = "left";
    stopped = true;
    if (media) media.stop(true);
    if (!send("leave")) end("left");
  }

  function renderBar() {
    const h = state.hearing, you = state.you;
    const bar = document.createElement("div");
    if (!h || !you) return;
    const admitted = you.admission === "admitted" && you.room && you.room !== "waiting";
    const publish = may.has("media.publish");
    if (publish && may.has("self.mute")) {
      bar.append(barButton("mic", "mic", you.muted ? T.unmuteMe : T.muteMe,
        () => send("self.mute", { muted: !you.muted }), { "aria-pressed": String(!!you.muted), class: "bar-button" + (you.muted ? " off" : "") }, you.muted));
    }
    if (media && media.active && publish) {
      bar.append(barButton("camera", "camera", media.cameraOn ? T.media.cameraOff : T.media.cameraOn,
        () => media.toggleCamera(), { "aria-pressed": String(!media.cameraOn), class: "bar-button" + (media.cameraOn ? "" : " off") }, !media.cameraOn));
      if (admitted && media.canShare && !compact()) bar.append(barButton("share", "share", media.sharing ? T.media.stopShare : T.media.shareScreen,
        () => media.toggleScreen(), { "aria-pressed": String(media.sharing) }));
    }
    if (admitted && may.has("hand.raise") && !compact()) bar.append(barButton("hand", "hand", you.hand_raised ? T.lowerHand : T.raiseHand,
      () => send("hand.raise", { raised: !you.hand_raised }), { "aria-pressed": String(!!you.hand_raised) }));
    if (admitted) {
      const chat = barButton("chat", "chat", T.chat, () => setSide("chat"), { "aria-expanded": String(state.side === "chat"), "aria-controls": "side" });
      if (state.unread) chat.append(el("span", { class: "count" }, String(state.unread)));
      bar.append(chat);
    }
    if (admitted || TRIBUNAL.includes(cfg.role)) {
      const people = barButton("people", "people", T.participants, () => setSide("people"), { "aria-expanded": String(state.side === "people"), "aria-controls": "side" });
      const waiting = [...state.seats.values()].filter((s) => s.room === "waiting" && s.presence === "joined").length;
      if (waiting && may.has("admit")) people.append(el("span", { class: "count", title: T.rooms.waiting }, String(waiting)));
      bar.append(people);
    }
    bar.append(barButton("more", "more", T.more, () => setSide("more"), { "aria-expanded": String(state.side === "more"), "aria-controls": "side" }));
    bar.append(barButton("leave", "leave", T.leave, leave, { class: "bar-button leave" }));
    swap($("my-controls"), [...bar.children]);
  }

  function renderMore() {
    const box = document.createElement("div");
    const h = state.hearing, you = state.you;
    if (!h || !you) return;
    if (media && media.active) {
      box.append(button(media.view === "speaker" ? T.gallery : T.speakerView, () => { media.setView(media.view === "speaker" ? "gallery" : "speaker"); render(); }));
      if (media.soundBlocked) box.append(button(T.media.enableSound, () => media.enableSound()));
    }
    const admitted = you.admission === "admitted" && you.room && you.room !== "waiting";
    if (compact() && admitted && may.has("hand.raise"))
      box.append(button(you.hand_raised ? T.lowerHand : T.raiseHand, () => send("hand.raise", { raised: !you.hand_raised }), "", { "aria-pressed": String(!!you.hand_raised) }));
    if (compact() && admitted && media && media.active && media.canShare)
      box.append(button(media.sharing ? T.media.stopShare : T.media.shareScreen, () => media.toggleScreen(), "", { "aria-pressed": String(media.sharing) }));
    const low = localStorage.getItem("tribunal.videoQuality") === "low";
    if (may.has("media.publish")) {
      const b = button(T.lowBandwidth, () => { localStorage.setItem("tribunal.videoQuality", low ? "" : "low"); notice(T.lowBandwidthNext); render(); }, "", { "aria-pressed": String(low) });
      box.append(b);
    }
    if (may.has("captions.set") && h.status !== "closed") {
      box.append(button(h.captions ? T.captions.off : T.captions.on, () => send("captions.set", { enabled: !h.captions }), "", { "aria-pressed": String(!!h.captions) }));
    }
    if (may.has("recording.start") && !h.recording && ["in_session", "paused"].includes(h.status)) box.append(button(T.startRecording, () => send("recording.start"), "danger"));
    if (may.has("recording.stop") && h.recording) box.append(button(T.stopRecording, () => send("recording.stop")));
    const next = { scheduled: ["open"], open: ["start", "adjourn"], in_session: ["pause", "adjourn"],
      paused: ["resume", "adjourn"], adjourned: ["open"], closed: [] }[h.status] || [];
    const chair = el("div", { class: "buttons column" });
    next.forEach((a) => { if (may.has("hearing." + a)) chair.append(button(T.actions[a], () => send("hearing.control", { action: a }), "primary")); });
    if (may.has("room.lock")) {
      const main = state.rooms.get("main");
      if (main) chair.append(button(main.locked ? T.unlockMain : T.lockMain, () => send("room.lock", { room: "main", locked: !main.locked })));
    }
    if (may.has("room.open") && h.status !== "closed") chair.append(button(T.openCaucus, async () => {
      const label = await confirmDialog({ title: T.openCaucus, ok: T.openCaucus, input: T.caucusName, required: true });
      if (label) send("room.open", { label, members: [] });
    }));
    if (chair.childNodes.length) box.append(el("h3", {}, T.hearingControls), chair);
    if (may.has("hearing.close") && h.status !== "closed") {
      box.append(el("div", { class: "danger-zone" }, button(T.actions.close, async () => {
        const ok = await confirmDialog({ title: T.endTitle, text: T.endText, ok: T.actions.close });
        if (ok !== null) send("hearing.control", { action: "close" });
      }, "danger")));
    }
    swap($("more-controls"), [...box.children]);
  }

  // ---- the page --------------------------------------------------------------------------------
  function when(h) {
    const at = new Date((h && h.scheduled_start) || $("waiting-when").getAttribute("datetime"));
    return isNaN(at) ? "" : at.toLocaleString(cfg.language, { dateStyle: "medium", timeStyle: "short" });
  }

  function waitingState() {
    const h = state.hearing || {}, you = state.you || {};
    if (you.role === "observer") return T.waitingStates.observer;
    if (!["open", "in_session", "paused"].includes(h.status)) return T.waitingStates.notOpen;
    if (h.kind === "arbitration" && VERIFIABLE.includes(you.role) && !you.verified) return T.waitingStates.verifying;
    return T.waitingStates.admitting;
  }

  function end(reason) {
    ended = reason;
    const call = $("call");
    call.dataset.phase = "ended";
    $("end-title").textContent = T.ends[reason] ? T.ends[reason].title : T.ends.left.title;
    $("end-text").textContent = T.ends[reason] ? T.ends[reason].text : "";
    $("rejoin").hidden = !["left", "replaced"].includes(reason);
    $("rejoin").onclick = () => location.reload();
    ["precheck", "waiting-panel", "media-panel", "side", "call-bar", "notice"].forEach((id) => { $(id).hidden = true; });
    $("end-screen").hidden = false;
    $("end-title").setAttribute("tabindex", "-1");
    $("end-title").focus();
  }

  function render() {
    if (ended && $("call").dataset.phase === "ended") return;
    const h = state.hearing, you = state.you;
    if (h) {
      $("status").textContent = T.status[h.status] || h.status;
      $("recording").hidden = !h.recording;
    }
    if (!you) return;
    const waiting = you.room === "waiting";
    $("call").dataset.phase = waiting ? "waiting" : "live";
    $("precheck").hidden = true;
    $("call-bar").hidden = false;
    $("waiting-panel").hidden = !waiting;
    if (waiting) {
      $("waiting-when").textContent = when(h);
      $("waiting-state").textContent = waitingState();
      $("waiting-text").textContent = you.role === "observer" ? T.waitingObserver : T.waiting;
      $("waiting-seen").hidden = !(media && media.active);
    }
    const sees = TRIBUNAL.includes(cfg.role) || !waiting;
    if (!sees && state.side && state.side !== "more") state.side = null;
    $("side").hidden = !state.side;
    $("side-title").textContent = { people: T.participants, chat: T.chat, more: T.more }[state.side] || "";
    $("people-panel").hidden = state.side !== "people";
    $("chat-panel").hidden = state.side !== "chat";
    $("more-panel").hidden = state.side !== "more";
    $("chat-form").hidden = !may.has("chat.send");
    $("chat-room").textContent = you.room ? roomName(you.room) : "";
    if (media && media.soundBlocked) blocked(T.media.soundBlockedText, T.media.enableSound, () => media.enableSound().then(() => { if (!media.soundBlocked) blocked(""); }));
    else if (!$("blocked").dataset.devices) blocked("");
    renderBar();
    renderMore();
    renderPeople();
    renderCaptions();
  }

  $("side-close").onclick = () => setSide(state.side);
  $("invite-panel").hidden = !may.has("invite");
  $("invite-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const name = $("invite-name").value.trim(), phone = $("invite-phone").value.trim();
    if (!name || !phone) return;
    if (send("invite", { role: $("invite-role").value, name, phone })) {
      $("invite-name").value = ""; $("invite-phone").value = "";
    }
  });
  $("chat-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const input = $("chat-text");
    const text = input.value.trim();
    if (text) send("chat.send", { text });
    input.value = "";
  });
  window.matchMedia("(max-width: 600px)").addEventListener("change", () => render());
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && state.side && !document.querySelector("dialog[open]")) setSide(state.side); });
  setInterval(() => send("ping"), cfg.heartbeat * 1000);

  // The device check first, then the hearing.
  $("precheck-when").textContent = when(null);
  const deviceBlocked = (text) => { $("blocked").dataset.devices = text ? "1" : ""; blocked(text); };
  const check = window.TribunalPrecheck
    ? window.TribunalPrecheck.run({ strings: T, publish: may.has("media.publish"), blocked: deviceBlocked,
      lowVideo: localStorage.getItem("tribunal.videoQuality") === "low" })
    : Promise.resolve(null);
  check.then((choice) => {
    if (choice) {
      localStorage.setItem("tribunal.videoQuality", choice.lowVideo ? "low" : "");
      if (media) media.adopt(choice);
    }
    $("blocked").dataset.devices = "";
    blocked("");
    $("precheck").hidden = true;
    $("call").dataset.phase = "joining";
    connect();
  });
})();
