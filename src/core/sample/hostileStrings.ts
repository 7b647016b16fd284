/**
 * Strings that every view must render as inert text. Every string in an audit
 * event is attacker-controlled (project names, emails, error messages), so the
 * sample organization carries a few of them where real data would.
 */
export const HOSTILE_STRINGS = {
  /** A project name. */
  htmlProjectName: '<img src=x onerror=alert(1)>',
  /** A user's display name, and the local part of their email. */
  scriptUserName: '"><script>alert(1)</script>',
  scriptUserEmail: '"><script>alert(1)</script>@acme-research.example',
  /** An invited email address that is not one. */
  svgInviteEmail: '<svg onload=alert(1)>@evil.example',
  /** A `login.failed` error message. */
  htmlErrorMessage: 'Invalid login for "><img src=x onerror=alert(document.cookie)>',
  /** Right-to-left scripts. */
  arabicProjectName: 'مشروع الواحة',
  hebrewGroupName: 'צוות מחקר',
  /** U+202E RIGHT-TO-LEFT OVERRIDE: displays as "Research Team exe.txt"-style spoofing. */
  rtlOverrideGroupName: 'Research Team \u202Etxt.exe',
  rtlOverrideCertificateName: 'client-\u202Etrc.exe',
  /** Emoji, including a ZWJ sequence. */
  emojiProjectName: '🚀 Launchpad',
  emojiGroupName: 'Research 🧪 👩‍💻',
} as const;

/** A very long value (about 6,000 characters) for an organization description. */
export function longDescription(): string {
  const sentence =
    'Acme Research builds evaluation tooling for language models; this description was pasted from an internal wiki page and never trimmed. ';
  let s = '';
  let i = 1;
  while (s.length < 6000) s += `${i++}. ${sentence}`;
  return s;
}
