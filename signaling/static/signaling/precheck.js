/* The device check before joining a hearing: camera preview, microphone level, speaker test,
 * device pickers and front/back camera on phones. No build step; loaded before hearing.js, which
 * calls TribunalPrecheck.run(opts) and gets, once "Join" is pressed, the open stream and the
 * result: "ok" (camera and microphone), "audio_only", or "none". media.js adopts the stream, so
 * the camera is not opened twice. People who may not publish (observers) get the speaker test
 * and the join button only. When the browser blocks the devices, opts.blocked(text) shows the
 * full-width prompt that says how to allow them.
 */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);

  function run(opts) {
    const T = opts.strings.precheck;
    const md = navigator.mediaDevices;
    let stream = null, audioCtx = null, meterTimer = null, facing = "user";
    const state = { camera: "", mic: "", speaker: "" };

    function stopStream() {
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null;
      clearInterval(meterTimer);
      if (audioCtx) audioCtx.close().catch(() => {});
      audioCtx = null;
    }

    function result() {
      if (!stream) return "none";
      const cam = stream.getVideoTracks().length > 0, mic = stream.getAudioTracks().length > 0;
      if (cam && mic) return "ok";
      return mic ? "audio_only" : "none";
    }

    function showResult() {
      const r = result();
      $("precheck-result").textContent = T.results[r];
      $("precheck-result").dataset.result = r;
      $("precheck-nocam").hidden = !!(stream && stream.getVideoTracks().length);
      $("precheck-video").hidden = !$("precheck-nocam").hidden;
    }

    function meter() {
      const track = stream && stream.getAudioTracks()[0];
      if (!track || !window.AudioContext) return;
      audioCtx = new AudioContext();
      const analyser = audioCtx.createAnalyser();
      analyser.fftSize = 512;
      audioCtx.createMediaStreamSource(new MediaStream([track])).connect(analyser);
      const data = new Uint8Array(analyser.fftSize);
      meterTimer = setInterval(() => {
        analyser.getByteTimeDomainData(data);
        let peak = 0;
        data.forEach((v) => { peak = Math.max(peak, Math.abs(v - 128) / 128); });
        $("mic-level").value = peak;
      }, 150);
    }

    async function fillPickers() {
      if (!md || !md.enumerateDevices) return;
      const devices = await md.enumerateDevices();
      const fill = (id, kind, current) => {
        const sel = $(id);
        const list = devices.filter((d) => d.kind === kind);
        sel.replaceChildren(...list.map((d, i) => {
          const o = document.createElement("option");
          o.value = d.deviceId;
          o.textContent = d.label || T.device.replace("%(n)s", String(i + 1));
          if (d.deviceId === current) o.selected = true;
          return o;
        }));
        sel.disabled = list.length < 2;
        return list;
      };
      const cams = fill("pick-camera", "videoinput", state.camera);
      fill("pick-mic", "audioinput", state.mic);
      const speakers = fill("pick-speaker", "audiooutput", state.speaker);
      const canPickSpeaker = "setSinkId" in HTMLMediaElement.prototype && speakers.length > 0;
      $("pick-speaker").hidden = $("pick-speaker-label").hidden = !canPickSpeaker;
      // Phones: front and back camera. Shown where the browser reports more than one camera.
      $("flip-camera").hidden = cams.length < 2 || !/Android|iPhone|iPad/i.test(navigator.userAgent);
    }

    async function open() {
      stopStream();
      if (!opts.publish) return showResult();
      if (!md || !md.getUserMedia) { showResult(); return; }
      const video = opts.lowVideo ? { width: { ideal: 320 }, height: { ideal: 180 }, frameRate: { ideal: 15, max: 15 } }
        : { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24, max: 30 } };
      if (state.camera) video.deviceId = { exact: state.camera }; else video.facingMode = facing;
      const audio = state.mic ? { deviceId: { exact: state.mic } } : true;
      try {
        stream = await md.getUserMedia({ audio, video });
      } catch (e) {
        try {
          stream = await md.getUserMedia({ audio });
        } catch (e2) {
          stream = null;
          if (e2 && e2.name === "NotAllowedError") opts.blocked(T.blocked);
        }
      }
      if (stream) {
        opts.blocked("");
        const v = stream.getVideoTracks()[0], a = stream.getAudioTracks()[0];
        if (v) state.camera = v.getSettings().deviceId || state.camera;
        if (a) state.mic = a.getSettings().deviceId || state.mic;
        $("precheck-video").srcObject = v ? new MediaStream([v]) : null;
        meter();
      }
      await fillPickers().catch(() => {});
      showResult();
    }

    function testSpeaker() {
      const ctx = new AudioContext();
      const osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 660;
      gain.gain.value = 0.15;
      osc.connect(gain);
      const out = ctx.createMediaStreamDestination();
      gain.connect(out);
      const el = new Audio();
      el.srcObject = out.stream;
      const go = state.speaker && el.setSinkId ? el.setSinkId(state.speaker) : Promise.resolve();
      go.catch(() => {}).then(() => el.play()).catch(() => opts.blocked(T.soundBlocked));
      osc.start();
      setTimeout(() => { osc.stop(); ctx.close(); el.srcObject = null; }, 700);
      $("precheck-result").textContent = T.heard;
    }

    $("pick-camera").onchange = (ev) => { state.camera = ev.target.value; open(); };
    $("pick-mic").onchange = (ev) => { state.mic = ev.target.value; open(); };
    $("pick-speaker").onchange = (ev) => { state.speaker = ev.target.value; };
    $("flip-camera").onclick = () => { facing = facing === "user" ? "environment" : "user"; state.camera = ""; open(); };
    $("test-speaker").onclick = testSpeaker;
    $("low-bandwidth").checked = !!opts.lowVideo;
    document.querySelectorAll("#precheck .publish-only").forEach((n) => { n.hidden = !opts.publish; });
    $("precheck-result").hidden = !opts.publish; // an observer sends nothing: no device verdict

    return new Promise((resolve) => {
      $("join").onclick = () => {
        clearInterval(meterTimer);
        if (audioCtx) audioCtx.close().catch(() => {});
        audioCtx = null;
        const out = { stream, result: result(), speaker: state.speaker, facing, lowVideo: $("low-bandwidth").checked };
        stream = null; // handed over to media.js
        resolve(out);
      };
      open();
    });
  }

  window.TribunalPrecheck = { run };
})();
