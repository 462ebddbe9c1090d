import * as E from 'fp-ts/lib/Either.js';
import { DOMParser, type Document } from '@xmldom/xmldom';
import type { SdkError } from '../errors/sdk-error.js';
import { fileError } from './file-error.js';
import { hardwareImportLimits } from './record.js';

/** The SAX events the guard watches, as the parser's default DOM builder declares them. */
interface DomBuilder {
  startElement(...args: readonly unknown[]): void;
  endElement(...args: readonly unknown[]): void;
  startDTD(...args: readonly unknown[]): void;
}

type DomBuilderClass = new (...args: readonly unknown[]) => DomBuilder;

/** An element the file may hold at most `max` of (a PSKC KeyPackage): counted while reading, refused at once. */
export interface CountedElement {
  readonly localName: string;
  readonly max: number;
  readonly refusal: string;
}

/** Why one parse stopped on purpose, kept apart from the parser's own message (which may quote the file). */
interface Refusal {
  reason?: string;
}

/**
 * The parser's own DOM builder, extended to refuse a DOCTYPE (no DTD, so no entity expansion and
 * no external entity, whatever the DTD says) and to stop at the depth and element limits while
 * reading, before a hostile file is built into a tree. xmldom takes the builder class as its
 * `domHandler` option (docs/decisions.md: the dependency stays on the 0.9 line for it).
 */
const guardedBuilder = (base: DomBuilderClass, refusal: Refusal, counted: CountedElement | undefined): DomBuilderClass => {
  const refuse = (reason: string): never => {
    refusal.reason = reason;
    throw new Error(reason);
  };
  return class GuardedBuilder extends base {
    private depth = 0;
    private elements = 0;
    private named = 0;

    override startElement(...args: readonly unknown[]): void {
      this.depth += 1;
      this.elements += 1;
      // The SAX start event's second argument is the element's local name.
      if (counted !== undefined && args[1] === counted.localName && ++this.named > counted.max) refuse(counted.refusal);
      if (this.depth > hardwareImportLimits.maxXmlDepth) refuse(`elements are nested deeper than ${String(hardwareImportLimits.maxXmlDepth)} levels`);
      if (this.elements > hardwareImportLimits.maxXmlElements) refuse(`the file has more than ${String(hardwareImportLimits.maxXmlElements)} elements`);
      super.startElement(...args);
    }

    override endElement(...args: readonly unknown[]): void {
      this.depth -= 1;
      super.endElement(...args);
    }

    override startDTD(): void {
      refuse('a DOCTYPE is not allowed (PSKC needs no DTD, and entities are never expanded)');
    }
  };
};

const defaultBuilder: DomBuilderClass = (new DOMParser() as unknown as { readonly domHandler: DomBuilderClass }).domHandler;

const lineOf = (cause: unknown): string => {
  const locator = (cause as { readonly locator?: { readonly lineNumber?: unknown } } | null | undefined)?.locator;
  return typeof locator?.lineNumber === 'number' && locator.lineNumber > 0 ? `line ${String(locator.lineNumber)}` : 'the file';
};

/**
 * Parses an XML file that came from outside: bounded in size, depth and element count, with no
 * DTD. Errors name the line and the reason, never the file's text.
 */
export const parseUntrustedXml = (text: string, counted?: CountedElement): E.Either<SdkError, Document> => {
  if (text.length > hardwareImportLimits.maxFileCharacters) {
    return E.left(fileError('the file', `is longer than ${String(hardwareImportLimits.maxFileCharacters)} characters`));
  }
  const refusal: Refusal = {};
  const parser = new DOMParser({
    domHandler: guardedBuilder(defaultBuilder, refusal, counted),
    onError: (level: string) => {
      // Warnings (say, an attribute without quotes) are tolerated; errors stop the parse.
      if (level !== 'warning') throw new Error('not well-formed');
    },
  });
  return E.tryCatch(
    () => parser.parseFromString(text, 'application/xml'),
    (cause) => fileError(lineOf(cause), refusal.reason ?? 'the file is not well-formed XML'),
  );
};
