// One cookie jar per flow: HTTP steps and browser steps read and write the same session (docs/smoke.md#session).
// It behaves as a browser on a real deployment would, so the cookie bugs that break login show up here too:
// a `Secure` cookie sent over plain http is dropped (even on loopback, where browsers would be lenient),
// a cookie for another domain is refused.
import { Cookie, CookieJar } from 'tough-cookie';

export interface SetCookieRecord {
  readonly name: string;
  readonly cookie: Cookie;
  /** Why the jar refused it, when it did. */
  readonly rejected?: string;
}

/** The attributes a browser-side cookie has, in the shape smoke expectations and Playwright both use. */
export interface CookieView {
  readonly name: string;
  readonly value: string;
  readonly domain: string;
  readonly path: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: 'Strict' | 'Lax' | 'None' | undefined;
  /** Seconds since the epoch; -1 for a session cookie. */
  readonly expires: number;
}

function sameSiteOf(cookie: Cookie): CookieView['sameSite'] {
  const value = (cookie.sameSite ?? '').toLowerCase();
  return value === 'strict' ? 'Strict' : value === 'lax' ? 'Lax' : value === 'none' ? 'None' : undefined;
}

/** @example toView(cookie).httpOnly // true */
export function toView(cookie: Cookie): CookieView {
  const expires = cookie.expiryTime();
  return {
    name: cookie.key,
    value: cookie.value,
    domain: cookie.domain ?? '',
    path: cookie.path ?? '/',
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    sameSite: sameSiteOf(cookie),
    expires: expires === undefined || !Number.isFinite(expires) ? -1 : Math.floor(expires / 1000),
  };
}

/**
 * The session of one flow.
 *
 * @example
 * const jar = new SessionJar();
 * await jar.store(['sid=abc; HttpOnly; Path=/'], new URL('https://app.io/login'));
 * await jar.cookieHeader(new URL('https://app.io/api/me')) // 'sid=abc'
 */
export class SessionJar {
  private readonly jar = new CookieJar(undefined, { allowSecureOnLocal: false, rejectPublicSuffixes: true, looseMode: false });

  async cookieHeader(url: URL): Promise<string> {
    return this.jar.getCookieString(url.href);
  }

  /** Stores each Set-Cookie value as a browser would; returns what happened to each. */
  async store(values: readonly string[], url: URL): Promise<SetCookieRecord[]> {
    const records: SetCookieRecord[] = [];
    for (const value of values) {
      const cookie = Cookie.parse(value);
      if (cookie === undefined) continue;
      if (cookie.secure && url.protocol !== 'https:') {
        records.push({ name: cookie.key, cookie, rejected: `it is Secure but came over ${url.protocol.replace(':', '')}, so a browser drops it` });
        continue;
      }
      try {
        await this.jar.setCookie(cookie, url.href);
        records.push({ name: cookie.key, cookie });
      } catch (error) {
        records.push({ name: cookie.key, cookie, rejected: error instanceof Error ? error.message : String(error) });
      }
    }
    return records;
  }

  /** The cookies the session would send to `url`. */
  async cookiesFor(url: URL): Promise<CookieView[]> {
    return (await this.jar.getCookies(url.href)).map(toView);
  }

  /** Every cookie in the session, for handing to a browser context. */
  async all(): Promise<CookieView[]> {
    const store = this.jar.store;
    return (await store.getAllCookies()).map(toView);
  }

  /** Takes a browser context's cookies back into the session after a browser step. */
  async replaceFrom(cookies: readonly CookieView[]): Promise<void> {
    await this.jar.removeAllCookies();
    for (const view of cookies) {
      const cookie = new Cookie({
        key: view.name,
        value: view.value,
        domain: view.domain.replace(/^\./, ''),
        path: view.path,
        secure: view.secure,
        httpOnly: view.httpOnly,
        ...(view.sameSite === undefined ? {} : { sameSite: view.sameSite.toLowerCase() }),
        ...(view.expires > 0 ? { expires: new Date(view.expires * 1000) } : {}),
        hostOnly: !view.domain.startsWith('.'),
      });
      const scheme = view.secure ? 'https' : 'http';
      await this.jar.setCookie(cookie, `${scheme}://${cookie.domain ?? 'localhost'}${view.path}`, { ignoreError: true });
    }
  }
}
