// shared/site.ts answers "which site is this URL" for the extension, the service and the
// engines: the same key on both sides of the wire, and no throw for whatever a tab or a page holds.
import { describe, expect, it } from 'vitest';
import { hostOf, registrableDomain, siteKey, siteKeyOfHost } from '../../shared/site.ts';

const HOSTILE = [
  '', ' ', 'http://', 'https://', 'http://[', 'http://[::1', 'http://%', 'https://exa mple.com/', 'not a url', '//example.com/x',
  'javascript:alert(1)', 'data:text/html,<b>x</b>', 'mailto:someone@example.com', 'file:///etc/passwd', 'about:blank',
  `https://${'a'.repeat(70)}.com/`, `https://${'a.'.repeat(200)}com/`, `https://example.com/${'x'.repeat(100_000)}`,
  '\u0000http://example.com', 'http://\u202eexample.com', 'http://exa\u0000mple.com/', 'http://user:pw@evil.example@good.example/',
];

describe('shared/site.ts', () => {
  it('never throws on hostile input and gives no site for what is not an http(s) page', () => {
    for (const input of [...HOSTILE, undefined, null, 42, {}, ['https://example.com']]) {
      expect(() => hostOf(input)).not.toThrow();
      expect(() => registrableDomain(input)).not.toThrow();
      expect(() => siteKey(input)).not.toThrow();
      expect(() => siteKeyOfHost(input)).not.toThrow();
    }
    for (const input of ['', 'http://', 'not a url', '//example.com/x', 'javascript:alert(1)', 'data:text/html,x', 'mailto:someone@example.com', 'file:///etc/passwd', 'about:blank', 'ftp://example.com/']) {
      expect(siteKey(input), input).toBeNull();
    }
    // Too long to be an address anyone visits: no parse at all.
    expect(siteKey(`https://example.com/${'x'.repeat(100_000)}`)).toBeNull();
  });

  it('keys a URL by its registrable domain, private suffixes counting as public ones', () => {
    expect(siteKey('https://www.shop.example.co.uk/a?b=c#d')).toBe('example.co.uk');
    expect(siteKey('HTTPS://WWW.EXAMPLE.COM')).toBe('example.com');
    expect(siteKey('https://alice.github.io/post')).toBe('alice.github.io');
    // The userinfo trick names the host after the last "@".
    expect(siteKey('http://user:pw@evil.example@good.example/')).toBe('good.example');
  });

  it('keys an IP address or localhost by the host itself; IPv6 and odd hosts get none', () => {
    expect(siteKey('http://localhost:8080/x')).toBe('localhost');
    expect(siteKey('http://127.0.0.1/')).toBe('127.0.0.1');
    // The URL parser reads the hex form of an IPv4 address as the browser does.
    expect(siteKey('http://0x7f.1/')).toBe('127.0.0.1');
    expect(siteKey('http://[::1]:3000/')).toBeNull();
    expect(siteKeyOfHost('[::1]')).toBeNull();
    expect(siteKeyOfHost('127.0.0.1')).toBe('127.0.0.1');
    expect(siteKeyOfHost('Foo.COM')).toBe('foo.com');
    expect(siteKeyOfHost('my_host')).toBeNull();
  });

  it('reads an IDN host in punycode everywhere, so the extension and the service share one key', () => {
    expect(siteKey('https://bücher.de/buch')).toBe('xn--bcher-kva.de');
    expect(siteKey('https://xn--bcher-kva.de/')).toBe('xn--bcher-kva.de');
    expect(registrableDomain('www.bücher.de')).toBe('xn--bcher-kva.de');
    expect(siteKeyOfHost('bücher.de')).toBe('xn--bcher-kva.de');
    expect(hostOf('https://Bücher.de/')).toBe('xn--bcher-kva.de');
  });

  it('gives the registrable domain only to real domains; private suffixes only when asked', () => {
    expect(registrableDomain('https://alice.github.io/p')).toBe('github.io');
    expect(registrableDomain('https://alice.github.io/p', { privateDomains: true })).toBe('alice.github.io');
    expect(registrableDomain('https://x.example/')).toBe('x.example');
    expect(registrableDomain('http://127.0.0.1/')).toBeNull();
    expect(registrableDomain('localhost')).toBeNull();
    expect(registrableDomain('http://[::1]/')).toBeNull();
    expect(registrableDomain('mailto:someone@example.com')).toBeNull();
  });

  it('names the host for display: www dropped or port kept on request, empty when not a URL', () => {
    expect(hostOf('https://www.example.com/x')).toBe('www.example.com');
    expect(hostOf('https://www2.example.com/x', { stripWww: true })).toBe('example.com');
    expect(hostOf('http://localhost:8080/', { port: true })).toBe('localhost:8080');
    expect(hostOf('http://localhost:8080/')).toBe('localhost');
    expect(hostOf('http://[::1]:3000/')).toBe('[::1]');
    expect(hostOf('about:blank')).toBe('');
    expect(hostOf('not a url')).toBe('');
    expect(hostOf(undefined)).toBe('');
  });
});
