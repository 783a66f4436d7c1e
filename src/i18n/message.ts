/**
 * A message kept as its catalogue key and typed parameters rather than as text, for what is both shown
 * to a person and carried by `--json`: the person reads it in the run's language (`String(m)`), while
 * `--json` carries the English text (`JSON.stringify` calls `toJSON`), which never changes with the
 * language. The export readers' problems and findings are such messages (src/sources/).
 */
import { en, type Catalogue } from './en.js';
import { t } from './index.js';

/** The catalogue keys whose text is one string. */
export type TextKey = { [K in keyof Catalogue]: Catalogue[K] extends (...args: never[]) => string ? K : never }[keyof Catalogue];

export class Message {
  private constructor(
    readonly key: TextKey,
    readonly params: unknown,
  ) {}

  /** `Message.of('readBadDate', {field, value, format})`: the key and its parameters, type-checked. */
  static of<K extends TextKey>(key: K, ...params: Parameters<Catalogue[K]>): Message {
    return new Message(key, params[0]);
  }

  /** The text in one language. */
  in(catalogue: Catalogue): string {
    return (catalogue[this.key] as (p: unknown) => string)(this.params);
  }

  /** In the run's language: what a person reads. */
  toString(): string {
    return this.in(t);
  }

  /** In English: what `--json` carries. */
  toJSON(): string {
    return this.in(en);
  }
}

/** `msg('readBadDate', {field, value, format})`: a typed message (see Message.of). */
export function msg<K extends TextKey>(key: K, ...params: Parameters<Catalogue[K]>): Message {
  return Message.of(key, ...params);
}
