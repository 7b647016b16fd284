/** The findings' settings, typed: the rules that run (with their problems) and what notifies. */
import * as vscode from 'vscode';
import { Settings, SettingsSection } from '../constants';
import { effectiveRules, type Rule, type RuleProblem, type Severity } from '../core/findings';

export type NotifyLevel = 'critical' | 'high' | 'off';

export function readRules(): { rules: Rule[]; problems: RuleProblem[] } {
  const config = vscode.workspace.getConfiguration(SettingsSection);
  return effectiveRules(config.get<unknown>(Settings.findingsBuiltIn, {}), config.get<unknown>(Settings.findingsRules, []));
}

export function readNotify(): NotifyLevel {
  const v = vscode.workspace.getConfiguration(SettingsSection).get<string>(Settings.findingsNotify, 'high');
  return v === 'critical' || v === 'off' ? v : 'high';
}

/** Whether a finding of `severity` is notified at `level`. */
export function notifies(level: NotifyLevel, severity: Severity): boolean {
  if (level === 'off') return false;
  return severity === 'critical' || (level === 'high' && severity === 'high');
}

export function affectsFindings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SettingsSection}.${Settings.findingsRules}`) || e.affectsConfiguration(`${SettingsSection}.${Settings.findingsBuiltIn}`);
}
