/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Browser tab title; the only build-time variable. The API needs none: it is same-origin. */
  readonly VITE_APP_TITLE?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
