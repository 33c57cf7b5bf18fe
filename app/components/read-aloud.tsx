import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '~/core/locales';

/** Pieces short enough that no engine cuts them off (some stop a long utterance after ~15 s). */
const PIECE = 120;

function pieces(text: string): string[] {
  const sentences = text.replace(/\s+/g, ' ').trim().split(/(?<=[。！？；.!?;])\s*/);
  const out: string[] = [];
  for (const sentence of sentences) {
    for (let at = 0; at < sentence.length; at += PIECE) out.push(sentence.slice(at, at + PIECE));
  }
  return out.filter((p) => p.trim() !== '');
}

function voiceFor(language: Language): SpeechSynthesisVoice | null {
  const wanted = language === 'zh' ? ['zh-cn', 'zh'] : ['en'];
  const voices = window.speechSynthesis.getVoices();
  for (const prefix of wanted) {
    const voice = voices.find((v) => v.lang.replace('_', '-').toLowerCase().startsWith(prefix));
    if (voice) return voice;
  }
  return null;
}

/**
 * "朗读" (issue 18): reads the page's `[data-read-aloud]` regions, in order, with the browser's own speech
 * synthesis, in a zh-CN voice (an English one on English pages); nothing leaves the device.
 * Rendered hidden on the server and shown once the device's voices are known to include one;
 * a second press stops (docs/decisions/033).
 */
export function ReadAloudButton({ language }: { language: Language }) {
  const { t } = useTranslation();
  const [voice, setVoice] = useState<SpeechSynthesisVoice | null>(null);
  const [looked, setLooked] = useState(false);
  const [speaking, setSpeaking] = useState(false);
  const queued = useRef(0);
  useEffect(() => {
    // Absent on some browsers and webviews: then the button stays hidden.
    const synth = (window as { speechSynthesis?: SpeechSynthesis }).speechSynthesis;
    setLooked(true);
    if (!synth) return;
    const pick = () => setVoice(voiceFor(language));
    pick();
    synth.addEventListener('voiceschanged', pick);
    return () => {
      synth.removeEventListener('voiceschanged', pick);
      synth.cancel();
    };
  }, [language]);
  const toggle = () => {
    const synth = window.speechSynthesis;
    if (speaking) {
      synth.cancel();
      setSpeaking(false);
      return;
    }
    const text = [...document.querySelectorAll<HTMLElement>('[data-read-aloud]')].map((region) => region.innerText).join('\n');
    if (!voice || !text.trim()) return;
    synth.cancel();
    const parts = pieces(text);
    queued.current = parts.length;
    for (const part of parts) {
      const utterance = new SpeechSynthesisUtterance(part);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.rate = 0.9;
      const done = () => {
        queued.current -= 1;
        if (queued.current <= 0) setSpeaking(false);
      };
      utterance.onend = done;
      utterance.onerror = done;
      synth.speak(utterance);
    }
    setSpeaking(true);
  };
  return (
    <button
      type="button"
      hidden={!voice}
      onClick={toggle}
      aria-pressed={speaking}
      className="btn-secondary print:hidden"
      data-testid="read-aloud"
      data-voices={looked ? (voice ? voice.lang : 'none') : undefined}
    >
      <span aria-hidden="true">🔊</span>
      {speaking ? t('readAloud.stop') : t('readAloud.start')}
    </button>
  );
}
