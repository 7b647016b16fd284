import * as vscode from 'vscode';
import { Settings, SettingsSection } from '../constants';
import { DEFAULT_CONCURRENCY, clampConcurrency } from '../core/fetch';

/** `openaiAuditLogs.maxConcurrentRequests`, clamped to 1-16 (a hand-edited value must not break loading). */
export function maxConcurrentRequests(): number {
  const value = vscode.workspace.getConfiguration(SettingsSection).get<number>(Settings.maxConcurrentRequests, DEFAULT_CONCURRENCY);
  return clampConcurrency(value);
}
