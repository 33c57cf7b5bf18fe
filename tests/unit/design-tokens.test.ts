import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The palette and type floor of docs/design.md, enforced: a page that reaches for a colour outside
 * the palette, a text colour too pale to read on white, or a type size below the floor for elderly
 * readers fails here rather than in a resident's hands.
 */

/** Shades each colour family may use at all (brand has only the shades app/styles/tailwind.css defines). */
const PALETTE: Record<string, readonly string[]> = {
  stone: ['50', '100', '200', '300', '400', '500', '600', '700', '800', '900'],
  brand: ['50', '100', '600', '700', '800'],
  accent: ['500'],
  red: ['50', '100', '200', '300', '400', '600', '700', '800', '900'],
  amber: ['50', '100', '300', '400', '500', '800', '900', '950'],
  emerald: ['50', '100', '200', '300', '600', '700', '800', '900', '950'],
  sky: ['50', '100', '900'],
  violet: ['100', '900'],
};

/**
 * Shades a text colour may use: each reads at least 4.5:1 on white and on the palette's tinted
 * backgrounds (stone-500 is darkened in the theme for that reason; stone-400 reads 2.6:1).
 */
const TEXT_SHADES: Record<string, readonly string[]> = {
  stone: ['500', '600', '700', '800', '900'],
  brand: ['600', '700', '800'],
  red: ['700', '800', '900'],
  amber: ['800', '900', '950'],
  emerald: ['700', '800', '900', '950'],
  sky: ['900'],
  violet: ['900'],
};

const TAILWIND_FAMILIES = ['slate', 'gray', 'zinc', 'neutral', 'stone', 'red', 'orange', 'amber', 'yellow', 'lime', 'green', 'emerald', 'teal', 'cyan', 'sky', 'blue', 'indigo', 'violet', 'purple', 'fuchsia', 'pink', 'rose', 'brand', 'accent'];
const UTILITIES = ['text', 'bg', 'border', 'border-t', 'border-b', 'border-l', 'border-r', 'border-x', 'border-y', 'ring', 'outline', 'fill', 'stroke', 'divide', 'placeholder', 'decoration', 'from', 'via', 'to', 'shadow', 'caret', 'accent'];
const COLOUR_CLASS = new RegExp(`(?<![\\w-])(${UTILITIES.join('|')})-(${TAILWIND_FAMILIES.join('|')})-(\\d{2,3})(?:/\\d+)?(?![\\w-])`, 'g');
/** Arbitrary colours (`text-[#999]`, `bg-[rgb(…)]`) bypass the palette entirely. */
const ARBITRARY_COLOUR = /(?<![\w-])(?:text|bg|border|ring|fill|stroke|outline|decoration)-\[(?:#|rgb|hsl|oklch|color:)/g;
/** Arbitrary font sizes (`text-[12px]`, `text-[0.7rem]`) and Tailwind sizes that do not exist in the theme. */
const ARBITRARY_SIZE = /(?<![\w-])text-\[(\d*\.?\d+)(px|rem|em|pt)\]/g;
const ROOT_PX = 18;
/** The smallest type allowed: 15 px (captions, dates); body text is text-base (18 px) or text-sm (16.2 px). */
const FLOOR_PX = 15;

/** Exceptions, each with its reason. Key: "file: class". */
const ALLOWED: Record<string, string> = {
  'app/routes/_index/route.tsx: text-brand-50': 'the hero text on its bg-brand-700 band (6.0:1)',
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.server.ts') ? [full] : [];
  });
}

const sources = files('app').map((file) => ({ file, text: readFileSync(file, 'utf8') }));

function px(value: number, unit: string): number {
  if (unit === 'px') return value;
  if (unit === 'pt') return (value * 4) / 3;
  return value * ROOT_PX;
}

describe('design tokens', () => {
  it('app/ uses colours from the palette only, and text colours dark enough to read', () => {
    const problems: string[] = [];
    for (const { file, text } of sources) {
      for (const match of text.matchAll(COLOUR_CLASS)) {
        const [whole, utility = '', family = '', shade = ''] = match;
        if (ALLOWED[`${file}: ${whole}`]) continue;
        const shades = PALETTE[family];
        if (!shades) problems.push(`${file}: ${whole} (the ${family} family is not in the palette)`);
        else if (!shades.includes(shade)) problems.push(`${file}: ${whole} (${family}-${shade} is not in the palette)`);
        else if (utility === 'text' && !TEXT_SHADES[family]?.includes(shade)) problems.push(`${file}: ${whole} (too pale for text)`);
      }
      for (const match of text.matchAll(ARBITRARY_COLOUR)) problems.push(`${file}: ${match[0]}… (an arbitrary colour)`);
    }
    expect(problems).toEqual([]);
  });

  it('app/ sets no type size below the 15 px floor', () => {
    const problems: string[] = [];
    for (const { file, text } of sources) {
      for (const match of text.matchAll(ARBITRARY_SIZE)) {
        if (px(Number(match[1]), match[2] ?? 'px') < FLOOR_PX) problems.push(`${file}: ${match[0]}`);
      }
      for (const match of text.matchAll(/(?<![\w-])text-(2xs|3xs|tiny)(?![\w-])/g)) problems.push(`${file}: ${match[0]}`);
    }
    expect(problems).toEqual([]);
  });

  it('the theme keeps the root at 18 px, text-sm at 16 px or more and text-xs at the 15 px floor', () => {
    const css = readFileSync('app/styles/tailwind.css', 'utf8');
    expect(css).toMatch(/html \{\s*font-size: 18px;/);
    const rem = (name: string) => Number(new RegExp(`--text-${name}: ([\\d.]+)rem`).exec(css)?.[1]);
    expect(rem('sm') * ROOT_PX).toBeGreaterThanOrEqual(16);
    expect(rem('xs') * ROOT_PX).toBeGreaterThanOrEqual(FLOOR_PX - 0.01);
  });

  it('the checks catch what they are meant to catch', () => {
    const sample = 'className="text-gray-400 bg-blue-50 text-stone-400 text-brand-900 text-[12px] text-stone-700 bg-amber-50"';
    const colours = [...sample.matchAll(COLOUR_CLASS)].map((m) => m[0]);
    expect(colours).toEqual(['text-gray-400', 'bg-blue-50', 'text-stone-400', 'text-brand-900', 'text-stone-700', 'bg-amber-50']);
    expect([...sample.matchAll(ARBITRARY_SIZE)].map((m) => m[0])).toEqual(['text-[12px]']);
  });
});
