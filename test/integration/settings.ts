import * as vscode from 'vscode';
import { SettingsSection } from '../../src/constants';

/** Writes one of the extension's settings to the user settings (where application-scope ones live); undefined removes it. */
export async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SettingsSection).update(key, value, vscode.ConfigurationTarget.Global);
}
