/* The hearing page: one WebSocket speaking protocol v1 (docs/protocol.md). No build step. */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("hearing-config").textContent);
  const T = cfg.strings;
  const may = new Set(cfg.may);
  const FINAL = { 4401: null, 4403: null, 4404: null, 4409: "replaced", 4410: "closed", 1000: null };
  const state = { hearing: null, you: null, seats: new Map(), rooms: new Map(), seq: 0 };
  let ws = null, refs = 0, retry = 0, stopped = false;
  const CAPTION_LINES = 4;
  let captions = [];  // the last few captions; a final replaces the partials of its seq

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...kids) => {
    const n = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => (k === "onclick" ? (n.onclick = v) : n.setAttribute(k, v)));
    kids.forEach((k) => n.append(k));
    return n;
  };
  const csrf = () => (document.querySelector(".hearing-page input[name=csrfmiddlewaretoken]") || {}).value || "";

  function notice(text) {
    const box = $("notice");
    box.textContent = text;
    box.hidden = !text;
  }

  function send(type, fields) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return undefined;
    const ref = "r" + ++refs;
    ws.send(JSON.stringify(Object.assign({ type, v: 1, hearing: cfg.hearingId, ref }, fields || {})));
    return ref;
  }

  // Audio and video (media.js): started when you are admitted to a room, stopped when you leave it.
  const media = window.TribunalMedia ? window.TribunalMedia.create({
    send, notice, strings: T, iceServers: cfg.iceServers, userId: cfg.userId,
    publish: may.has("media.publish"), // observers only receive (no devices are opened)
    seat: (id) => state.seats.get(id),
    connected: () => !!ws && ws.readyState === WebSocket.OPEN,
  }) : null;
  window.tribunalMedia = media;

  async function credential() {
    const body = new URLSearchParams();
    const res = await fetch(cfg.credentialUrl, {
      method: "POST", body, credentials: "same-origin",
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
        if (FINAL[ev.code]) notice(T[FINAL[ev.code]]);
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
        break;
      case "seat":
        state.seats.set(f.seat.user, f.seat);
        if (f.seat.user === cfg.userId) {
          const wasWaiting = state.you && state.you.room === "waiting";
          state.you = f.seat;
          if (f.seat.admission === "refused") notice(T.refused);
          if (f.seat.admission === "removed") notice(T.removed);
          if (wasWaiting && f.seat.room !== "waiting") send("roster.get");
        }
        break;
      case "room":
        if (f.room.open) state.rooms.set(f.room.key, f.room); else state.rooms.delete(f.room.key);
        break;
      case "hearing":
        state.hearing = f.hearing;
        if (!f.hearing.captions) captions = [];
        break;
      case "caption":
        addCaption(f);
        break;
      case "chat":
        addChat(f);
        break;
      case "notice":
        notice(f.message);
        break;
      case "error":
        if (f.code !== "rate_limited") notice(T.error + ": " + f.message);
        break;
    }
    render();
    if (media && ["welcome", "roster", "seat", "hearing"].includes(f.type)) media.sync(state.you, state.hearing, f.type === "welcome");
  }

  function addChat(f) {
    const who = (state.seats.get(f.from.user) || {}).name || f.from.name;
    const time = new Date(f.at).toLocaleTimeString();
    const li = el("li", {}, el("span", { class: "who" }, who), f.text, " ", el("small", {}, time));
    $("chat").append(li);
    li.scrollIntoView({ block: "end" });
  }

  function addCaption(f) {
    const key = f.speaker + ":" + f.seq;
    const i = captions.findIndex((c) => c.key === key);
    const line = Object.assign({ key }, f);
    if (i >= 0) captions[i] = line; else captions.push(line);
    captions = captions.slice(-CAPTION_LINES);
  }

  function renderCaptions() {
    const box = $("captions");
    const on = !!state.hearing && !!state.hearing.captions;
    box.replaceChildren(...captions.map((c) => {
      const name = (state.seats.get(c.speaker) || {}).name || c.name;
      const who = T.captions.line.replace("%(name)s", name).replace("%(role)s", T.roles[c.role] || c.role);
      return el("p", { class: c.final ? "caption" : "caption partial" }, el("span", { class: "who" }, who), " ", c.text);
    }));
    box.hidden = !on || !captions.length;
  }

  function button(label, onclick, cls) { return el("button", { type: "button", class: cls || "", onclick }, label); }

  function roomName(key) {
    const r = state.rooms.get(key);
    return T.rooms[key] || (r && r.label) || key;
  }

  function personActions(s) {
    const box = el("div", { class: "actions" });
    if (s.user === cfg.userId || ["left", "absent"].includes(s.presence)) return box;
    const waiting = s.room === "waiting";
    if (waiting && may.has("identity.verify") && !s.verified && s.role !== "observer")
      box.append(button(T.verify, () => {
        const method = prompt(T.verifyMethod, "id_document_on_camera");
        if (method) send("identity.verify", { user: s.user, method, note: method === "other" ? (prompt(T.reason) || "") : "" });
      }));
    if (waiting && may.has("admit")) box.append(button(T.admit, () => send("admit", { user: s.user }), "primary"));
    if (waiting && may.has("refuse")) box.append(button(T.refuse, () => send("refuse", { user: s.user, reason: prompt(T.reason) || "" }), "danger"));
    if (!waiting && s.admission === "admitted") {
      if (may.has("participant.mute") && !s.muted) box.append(button(T.mute, () => send("participant.mute", { user: s.user })));
      if (may.has("participant.ask_unmute") && s.mute_locked) box.append(button(T.askUnmute, () => send("participant.ask_unmute", { user: s.user })));
      if (may.has("floor.grant")) box.append(s.floor ? button(T.revokeFloor, () => send("floor.grant", { user: null }))
        : button(T.grantFloor, () => send("floor.grant", { user: s.user })));
      if (may.has("room.move")) {
        const sel = el("select", { "aria-label": T.moveTo }, el("option", { value: "" }, T.moveTo));
        state.rooms.forEach((r) => { if (r.key !== s.room) sel.append(el("option", { value: r.key }, roomName(r.key))); });
        sel.onchange = () => sel.value && send("room.move", { user: s.user, room: sel.value });
        box.append(sel);
      }
      if (may.has("participant.remove") && !["presiding", "arbitrator", "mediator", "clerk"].includes(s.role))
        box.append(button(T.remove, () => send("participant.remove", { user: s.user, reason: prompt(T.reason) || "" }), "danger"));
    }
    return box;
  }

  function renderPeople() {
    const rooms = $("rooms");
    rooms.replaceChildren();
    const byRoom = new Map();
    state.seats.forEach((s) => {
      const key = s.room || "";
      if (!byRoom.has(key)) byRoom.set(key, []);
      byRoom.get(key).push(s);
    });
    const keys = ["main", "waiting", ...[...state.rooms.keys()].filter((k) => k !== "main" && k !== "waiting"), ""];
    keys.forEach((key) => {
      const people = byRoom.get(key) || [];
      const room = state.rooms.get(key);
      if (!room && !people.length) return;
      const head = el("h3", {}, key ? roomName(key) : T.presence.left);
      if (room && room.locked) head.append(" 🔒");
      if (room && room.kind === "caucus" && may.has("room.close")) head.append(button(T.closeRoom, () => send("room.close", { room: key })));
      const box = el("div", { class: "room" }, head);
      people.forEach((s) => {
        const tags = el("span", { class: "tags" }, el("span", {}, T.roles[s.role] || s.role), el("span", {}, T.presence[s.presence] || s.presence));
        if (s.user === cfg.userId) tags.append(el("span", {}, T.you));
        if (!["presiding", "arbitrator", "mediator", "clerk", "observer"].includes(s.role)) tags.append(el("span", {}, s.verified ? T.verified : T.unverified));
        if (s.muted) tags.append(el("span", {}, T.muted));
        if (s.hand_raised) tags.append(el("span", {}, "✋ " + T.handUp));
        if (s.floor) tags.append(el("span", {}, "🎤 " + T.floor));
        box.append(el("div", { class: "person" }, el("span", { class: "name" }, s.name), tags, personActions(s)));
      });
      rooms.append(box);
    });
  }

  function renderControls() {
    const h = state.hearing, you = state.you;
    const hc = $("hearing-controls"), mine = $("my-controls");
    hc.replaceChildren(); mine.replaceChildren();
    if (!h || !you) return;
    const next = { scheduled: ["open", "close"], open: ["start", "adjourn", "close"], in_session: ["pause", "adjourn", "close"],
      paused: ["resume", "adjourn", "close"], adjourned: ["open", "close"], closed: [] }[h.status] || [];
    next.forEach((a) => { if (may.has("hearing." + a)) hc.append(button(T.actions[a], () => send("hearing.control", { action: a }), a === "close" ? "danger" : "primary")); });
    if (may.has("admit")) hc.append(button(T.admitAll, () => send("admit.all")));
    if (may.has("room.lock")) {
      const main = state.rooms.get("main");
      if (main) hc.append(button(main.locked ? T.unlockMain : T.lockMain, () => send("room.lock", { room: "main", locked: !main.locked })));
    }
    if (may.has("room.open")) hc.append(button(T.openCaucus, () => { const label = prompt(T.caucusName); if (label) send("room.open", { label, members: [] }); }));
    if (may.has("recording.start") && !h.recording && ["in_session", "paused"].includes(h.status)) hc.append(button(T.startRecording, () => send("recording.start"), "danger"));
    if (may.has("recording.stop") && h.recording) hc.append(button(T.stopRecording, () => send("recording.stop")));
    if (may.has("captions.set") && h.status !== "closed") {
      const b = button(h.captions ? T.captions.off : T.captions.on, () => send("captions.set", { enabled: !h.captions }));
      b.setAttribute("aria-pressed", String(!!h.captions));
      hc.append(b);
    }
    if (you.admission === "admitted") {
      mine.append(button(you.muted ? T.unmuteMe : T.muteMe, () => send("self.mute", { muted: !you.muted })));
      if (may.has("hand.raise")) mine.append(button(you.hand_raised ? T.lowerHand : T.raiseHand, () => send("hand.raise", { raised: !you.hand_raised })));
    }
    mine.append(button(T.leave, () => { stopped = true; if (media) media.stop(true); send("leave"); }, "danger"));
  }

  function render() {
    const h = state.hearing, you = state.you;
    if (h) {
      $("status").textContent = T.status[h.status] || h.status;
      $("recording").hidden = !h.recording;
    }
    const waiting = you && you.room === "waiting";
    $("waiting-panel").hidden = !waiting;
    $("waiting-text").textContent = T.waiting;
    $("chat-panel").hidden = !you || waiting;
    $("chat-form").hidden = !may.has("chat.send");
    $("chat-room").textContent = you && you.room ? roomName(you.room) : "";
    renderControls();
    renderPeople();
    renderCaptions();
  }

  $("chat-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const input = $("chat-text");
    const text = input.value.trim();
    if (text) send("chat.send", { text });
    input.value = "";
  });
  setInterval(() => send("ping"), 25000);
  connect();
})();
