// Mail for one-time links (password recovery, invitations) through the SMTP server named by
// CASEBOOK_SMTP_URL (smtp://user:password@host:587, smtps://… for implicit TLS). Without it the
// service sends nothing and says so where it matters ("ask an admin for a link").
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../http/env.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative of the same content (the digest). */
  html?: string;
  /** Extra headers, e.g. List-Unsubscribe (RFC 2369, RFC 8058). */
  headers?: Record<string, string>;
}

type MailConfig = Pick<AppConfig, 'smtpUrl' | 'mailFrom' | 'publicUrl'>;

const transports = new Map<string, Transporter>();

export function smtpUrlOf(config: MailConfig): string | undefined {
  return config.smtpUrl ?? (process.env.CASEBOOK_SMTP_URL || undefined);
}

export function mailConfigured(config: MailConfig): boolean {
  return Boolean(smtpUrlOf(config));
}

function senderOf(config: MailConfig): string {
  const explicit = config.mailFrom ?? process.env.CASEBOOK_MAIL_FROM;
  if (explicit) return explicit;
  let host = 'localhost';
  try {
    const parsed = new URL(config.publicUrl ?? '').hostname;
    if (parsed && !/^[\d.]+$|:/.test(parsed)) host = parsed;
  } catch {
    // no public URL: keep localhost
  }
  return `Casebook <casebook@${host}>`;
}

/** Sends one mail; throws when SMTP is not configured or the server refuses it. */
export async function sendMail(config: MailConfig, mail: Mail): Promise<void> {
  const url = smtpUrlOf(config);
  if (!url) throw new Error('mail is not configured (CASEBOOK_SMTP_URL)');
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  await transport.sendMail({
    from: senderOf(config),
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    ...(mail.headers ? { headers: mail.headers } : {}),
  });
}

/**
 * Sends in the background: the page answers at once and takes the same time whether a mail
 * went out or not (a recovery form must not tell which e-mails have accounts). Failures are
 * logged without the link.
 */
export function sendMailLater(config: MailConfig, mail: Mail): void {
  sendMail(config, mail).catch((error: unknown) => {
    console.error(`mail to ${mail.to} failed: ${(error as Error).message}`);
  });
}
