import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { prettyRawJson, type ParsedEvent } from '../core/model';

/** Scheme of the read-only JSON documents: an event's wire JSON, and the before/after of a change. */
export const AUDIT_LOG_SCHEME = 'openai-audit-log';

function segment(id: string): string {
  return encodeURIComponent(id);
}

export function eventJsonUri(eventId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: AUDIT_LOG_SCHEME, path: `/events/${segment(eventId)}.json` });
}

/** JSON with comments: a value not known (before the retained history) is a comment line, not a JSON value. */
export function changeSideUri(eventId: string, side: 'before' | 'after'): vscode.Uri {
  return vscode.Uri.from({ scheme: AUDIT_LOG_SCHEME, path: `/changes/${segment(eventId)}/${side}.jsonc` });
}

const EVENT_PATH = /^\/events\/([^/]+)\.json$/;

/** Where an event's document finds the event: the loaded events, by id (the event details' `EventSource` is one). */
export interface EventLookup {
  get(eventId: string): ParsedEvent | undefined;
}

/**
 * Serves read-only JSON documents. An event's document is its exact wire text,
 * re-indented without re-serialising values (same keys, order, numbers,
 * escapes). Change documents are put here by the command that opens them.
 * Documents of this scheme are read-only because only a content provider
 * (no file system) backs them.
 */
export class AuditLogDocumentProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this._onDidChange.event;
  private readonly contents = new Map<string, string>();

  constructor(private readonly source: EventLookup) {
    super();
  }

  /** Sets (or replaces) the text of a generated document. */
  set(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    const changed = this.contents.has(key) && this.contents.get(key) !== text;
    this.contents.set(key, text);
    if (changed) this._onDidChange.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const stored = this.contents.get(uri.toString());
    if (stored !== undefined) return stored;
    const m = EVENT_PATH.exec(uri.path);
    if (m) {
      const parsed = this.source.get(decodeURIComponent(m[1]));
      if (parsed) return prettyRawJson(parsed.raw, 2);
      return '// This event is no longer loaded. Open it again from the Events view.\n';
    }
    return '// Nothing to show: open this document again from an event.\n';
  }
}
