/**
 * Provider token formats, written from each provider's documented token shape (prefix, alphabet, length).
 * The coverage follows gitleaks' rule set (cloud, code hosting, chat, payments, mail, AI, package
 * registries, hosting platforms, secret managers); the patterns are our own. Each detector carries cheap
 * lowercase literals: its regular expression only runs on text that contains one of them, so a 20,000-file
 * scan pays one `includes` per detector for most files.
 */

export interface ProviderDetector {
  /** Stable detector id, e.g. `github-token`. */
  readonly kind: string;
  /** Who issues the token and what it is, for messages. */
  readonly description: string;
  /** Lowercase literals; the pattern runs only when the lowercased text contains one. */
  readonly keywords: readonly string[];
  /** Global; capture group 1 is the secret. */
  readonly pattern: RegExp;
  /** Test-mode keys (Stripe `sk_test_`): real, but they cannot move money or reach production data. */
  readonly testMode?: boolean;
}

/** Not preceded by a token character: prefixes must start a token (`=` may precede one: `KEY=ghp_…`). */
const START = '(?<![A-Za-z0-9_+/-])';
/** Not followed by a token character: the format's length must end the token. */
const END = '(?![A-Za-z0-9_+/=-])';

function detector(kind: string, description: string, keywords: readonly string[], body: string, options: { testMode?: boolean; flags?: string } = {}): ProviderDetector {
  return {
    kind,
    description,
    keywords,
    pattern: new RegExp(`${START}(${body})${END}`, `g${options.flags ?? ''}`),
    ...(options.testMode === true ? { testMode: true } : {}),
  };
}

export const PROVIDER_DETECTORS: readonly ProviderDetector[] = [
  // Cloud
  detector('aws-access-key-id', 'AWS access key id', ['akia', 'asia', 'abia', 'acca'], '(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}'),
  detector('aws-bedrock-api-key', 'Amazon Bedrock API key', ['absk'], 'ABSK[A-Za-z0-9+/]{100,}={0,2}'),
  detector('google-api-key', 'Google API key', ['aiza'], 'AIza[0-9A-Za-z_-]{35}'),
  detector('azure-ad-client-secret', 'Azure AD client secret', ['q~'], '[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}'),
  detector('azure-storage-account-key', 'Azure storage account key', ['accountkey='], '(?<=AccountKey=)[A-Za-z0-9+/]{86}=='),
  detector('alibaba-access-key-id', 'Alibaba Cloud access key id', ['ltai'], 'LTAI[A-Za-z0-9]{20}'),
  detector('digitalocean-token', 'DigitalOcean token', ['_v1_'], 'do[opr]_v1_[a-f0-9]{64}'),
  detector('cloudflare-origin-ca-key', 'Cloudflare Origin CA key', ['v1.0-'], 'v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}'),
  // Code hosting, CI and registries
  detector('github-token', 'GitHub token', ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], 'gh[pousr]_[A-Za-z0-9]{36,255}'),
  detector('github-fine-grained-token', 'GitHub fine-grained token', ['github_pat_'], 'github_pat_[A-Za-z0-9_]{60,255}'),
  detector(
    'gitlab-token',
    'GitLab token',
    ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glsoat-', 'glffct-'],
    'gl(?:pat|dt|rt|ptt|cbt|ft|imt|agent|oas|soat|ffct)-[A-Za-z0-9_.-]{20,}',
  ),
  detector('npm-token', 'npm access token', ['npm_'], 'npm_[A-Za-z0-9]{36}'),
  detector('pypi-token', 'PyPI upload token', ['pypi-ageichlwas5vcmc'], 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}'),
  detector('docker-hub-token', 'Docker Hub access token', ['dckr_'], 'dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,}'),
  detector('rubygems-token', 'RubyGems API key', ['rubygems_'], 'rubygems_[a-f0-9]{48}'),
  detector('clojars-token', 'Clojars deploy token', ['clojars_'], 'CLOJARS_[a-z0-9]{60}'),
  detector('artifactory-api-key', 'JFrog Artifactory API key', ['akcp'], 'AKCp[A-Za-z0-9]{69}'),
  detector('sonar-token', 'SonarQube token', ['sqp_', 'squ_', 'sqa_'], 'sq[pua]_[a-f0-9]{40}'),
  detector('sourcegraph-token', 'Sourcegraph access token', ['sgp_'], 'sgp_(?:[a-f0-9]{16}_)?[a-f0-9]{40}'),
  detector('terraform-cloud-token', 'Terraform Cloud API token', ['atlasv1'], '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}'),
  detector('pulumi-token', 'Pulumi access token', ['pul-'], 'pul-[a-f0-9]{40}'),
  detector('postman-api-key', 'Postman API key', ['pmak-'], 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}', { flags: 'i' }),
  detector('prefect-api-key', 'Prefect API key', ['pnu_'], 'pnu_[A-Za-z0-9]{36}'),
  detector('readme-api-key', 'ReadMe API key', ['rdme_'], 'rdme_[a-z0-9]{70}'),
  detector('infracost-api-key', 'Infracost API key', ['ico-'], 'ico-[A-Za-z0-9]{32}'),
  // Chat and collaboration
  detector('slack-token', 'Slack token', ['xox'], 'xox[abposre]-[A-Za-z0-9-]{10,}'),
  detector('slack-app-token', 'Slack app-level token', ['xapp-'], 'xapp-\\d-[A-Z0-9]+-\\d+-[a-z0-9]+'),
  detector('slack-webhook', 'Slack webhook URL', ['hooks.slack.com'], 'https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}'),
  detector('discord-webhook', 'Discord webhook URL', ['discord'], 'https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/\\d+/[A-Za-z0-9_-]{60,}'),
  detector('discord-bot-token', 'Discord bot token', ['discord'], '[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}'),
  detector('telegram-bot-token', 'Telegram bot token', [':aa'], '\\d{8,10}:AA[A-Za-z0-9_-]{33}'),
  detector('teams-webhook', 'Microsoft Teams webhook URL', ['webhook.office.com'], 'https://[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2/[A-Za-z0-9@-]+/IncomingWebhook/[A-Za-z0-9]+/[A-Za-z0-9-]+'),
  detector('linear-api-key', 'Linear API key', ['lin_api_', 'lin_oauth_'], 'lin_(?:api|oauth)_[A-Za-z0-9]{40}'),
  detector('notion-token', 'Notion integration token', ['ntn_'], 'ntn_\\d{11}[A-Za-z0-9]{35}'),
  detector('notion-legacy-token', 'Notion integration token', ['secret_'], 'secret_[A-Za-z0-9]{43}'),
  detector('atlassian-api-token', 'Atlassian API token', ['atatt3'], 'ATATT3[A-Za-z0-9_=-]{180,}'),
  detector('typeform-token', 'Typeform personal token', ['tfp_'], 'tfp_[A-Za-z0-9_.=-]{59}'),
  // Payments and commerce
  detector('stripe-live-key', 'live secret key (Stripe, Clerk)', ['_live_'], '(?:sk|rk)_live_[A-Za-z0-9]{20,}'),
  detector('stripe-test-key', 'test-mode secret key (Stripe, Clerk)', ['_test_'], '(?:sk|rk)_test_[A-Za-z0-9]{20,}', { testMode: true }),
  detector('webhook-signing-secret', 'webhook signing secret (Stripe, Svix, Clerk)', ['whsec_'], 'whsec_[A-Za-z0-9+/=]{24,}'),
  detector('square-token', 'Square access token', ['sq0', 'eaaa'], 'sq0(?:atp|csp)-[0-9A-Za-z_-]{22,43}|EAAA[A-Za-z0-9_-]{60}'),
  detector('braintree-token', 'PayPal Braintree access token', ['access_token$production$'], 'access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32}'),
  detector('shopify-token', 'Shopify access token or shared secret', ['shpat_', 'shpca_', 'shppa_', 'shpss_'], 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}'),
  detector('shippo-token', 'Shippo live API token', ['shippo_live_'], 'shippo_live_[a-f0-9]{40}'),
  detector('duffel-token', 'Duffel live API token', ['duffel_live_'], 'duffel_live_[A-Za-z0-9_=-]{43}'),
  detector('flutterwave-secret-key', 'Flutterwave secret key', ['flwseck'], 'FLWSECK-[a-h0-9]{32}-X'),
  detector('easypost-api-key', 'EasyPost production API key', ['ezak'], 'EZAK[A-Za-z0-9]{54}'),
  // Mail and messaging
  detector('sendgrid-key', 'SendGrid API key', ['sg.'], 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}'),
  // `-us` alone is in every `en-US`; the data-centre digit (us1…us21) is part of the key.
  detector('mailchimp-api-key', 'Mailchimp API key', ['-us1', '-us2', '-us3', '-us4', '-us5', '-us6', '-us7', '-us8', '-us9'], '[0-9a-f]{32}-us\\d{1,2}'),
  detector('resend-api-key', 'Resend API key', ['re_'], 're_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}'),
  detector('brevo-api-key', 'Brevo (Sendinblue) API key', ['xkeysib-'], 'xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}'),
  detector('twilio-api-key', 'Twilio API key', ['sk'], 'SK[0-9a-fA-F]{32}'),
  // AI
  detector('openai-key', 'OpenAI API key', ['sk-'], 'sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}'),
  detector('anthropic-key', 'Anthropic API key', ['sk-ant-'], 'sk-ant-(?:api|admin)\\d{2}-[A-Za-z0-9_-]{80,}'),
  detector('huggingface-token', 'Hugging Face token', ['hf_', 'api_org_'], '(?:hf|api_org)_[A-Za-z]{34}'),
  detector('groq-api-key', 'Groq API key', ['gsk_'], 'gsk_[A-Za-z0-9]{52}'),
  detector('xai-api-key', 'xAI API key', ['xai-'], 'xai-[A-Za-z0-9]{80}'),
  detector('perplexity-api-key', 'Perplexity API key', ['pplx-'], 'pplx-[A-Za-z0-9]{48}'),
  detector('replicate-token', 'Replicate API token', ['r8_'], 'r8_[A-Za-z0-9]{37}'),
  // Hosting, databases and platforms
  detector('heroku-api-key', 'Heroku API key', ['hrku-'], 'HRKU-AA[0-9A-Za-z_-]{58}'),
  detector('flyio-token', 'Fly.io token', ['fm1', 'fm2', 'fo1_'], 'fm[12][ar]?_[A-Za-z0-9+/=_-]{100,}|fo1_[A-Za-z0-9_-]{43}'),
  detector('netlify-token', 'Netlify personal access token', ['nfp_'], 'nfp_[A-Za-z0-9]{36,40}'),
  detector('planetscale-token', 'PlanetScale token or password', ['pscale_'], 'pscale_(?:tkn|oauth|pw)_[A-Za-z0-9=._-]{32,64}'),
  detector('neon-api-key', 'Neon API key', ['napi_'], 'napi_[a-z0-9]{64}'),
  detector('supabase-secret-key', 'Supabase secret key', ['sb_secret_'], 'sb_secret_[A-Za-z0-9_-]{20,}'),
  detector('databricks-token', 'Databricks access token', ['dapi'], 'dapi[a-f0-9]{32}(?:-\\d)?'),
  detector('grafana-token', 'Grafana Cloud or service account token', ['glc_', 'glsa_'], 'glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}'),
  detector('new-relic-key', 'New Relic key', ['nrak-', 'nrii-'], 'NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_-]{32}'),
  detector('dynatrace-token', 'Dynatrace API token', ['dt0c01.'], 'dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}', { flags: 'i' }),
  detector('openshift-token', 'OpenShift user token', ['sha256~'], 'sha256~[A-Za-z0-9_-]{43}'),
  detector('sentry-token', 'Sentry auth token', ['sntrys_', 'sntryu_'], 'sntrys_eyJ[A-Za-z0-9+/=_-]{50,}|sntryu_[a-f0-9]{64}'),
  detector('mapbox-secret-token', 'Mapbox secret token', ['sk.eyj'], 'sk\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}'),
  // Secret managers and keys
  detector('doppler-token', 'Doppler token', ['dp.'], 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}'),
  detector('vault-token', 'HashiCorp Vault token', ['hvs.', 'hvb.'], 'hv[sb]\\.[A-Za-z0-9_-]{24,}'),
  detector('onepassword-token', '1Password service account token', ['ops_ey'], 'ops_eyJ[A-Za-z0-9+/=_-]{200,}'),
  detector('age-secret-key', 'age secret key', ['age-secret-key-1'], 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}'),
];

/**
 * Formats that only identify a provider next to its name (`TWILIO_AUTH_TOKEN`, `HEROKU_API_KEY`): 32 hex
 * digits or a UUID are anything elsewhere, but a credential under that name.
 */
export interface NamedDetector {
  readonly kind: string;
  readonly description: string;
  readonly name: RegExp;
  readonly value: RegExp;
}

export const NAMED_DETECTORS: readonly NamedDetector[] = [
  { kind: 'aws-secret-access-key', description: 'AWS secret access key', name: /aws.*secret|secret.*access.*key/i, value: /^[A-Za-z0-9/+]{40}$/ },
  { kind: 'twilio-auth-token', description: 'Twilio auth token', name: /twilio.*(?:token|secret)/i, value: /^[0-9a-f]{32}$/ },
  { kind: 'cloudflare-api-token', description: 'Cloudflare API token or key', name: /cloudflare|^cf_api/i, value: /^[A-Za-z0-9_-]{40}$|^[0-9a-f]{37}$/ },
  { kind: 'heroku-api-key', description: 'Heroku API key', name: /heroku/i, value: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i },
  { kind: 'postmark-token', description: 'Postmark server token', name: /postmark/i, value: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i },
  { kind: 'mailgun-api-key', description: 'Mailgun API key', name: /mailgun/i, value: /^(?:key-)?[0-9a-f]{32}$|^[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}$/ },
  { kind: 'sentry-auth-token', description: 'Sentry auth token', name: /sentry.*auth.*token/i, value: /^[0-9a-f]{64}$/ },
  { kind: 'datadog-api-key', description: 'Datadog API or application key', name: /datadog|^dd_(?:api|app)/i, value: /^[0-9a-f]{32}$|^[0-9a-f]{40}$/ },
  { kind: 'vercel-token', description: 'Vercel access token', name: /vercel/i, value: /^[A-Za-z0-9]{24}$/ },
  { kind: 'netlify-token', description: 'Netlify access token', name: /netlify/i, value: /^[A-Za-z0-9_-]{40,46}$/ },
  { kind: 'cohere-api-key', description: 'Cohere API key', name: /cohere/i, value: /^[A-Za-z0-9]{40}$/ },
  { kind: 'okta-token', description: 'Okta API token', name: /okta/i, value: /^00[A-Za-z0-9_-]{40}$/ },
  { kind: 'upstash-token', description: 'Upstash REST token', name: /upstash.*token/i, value: /^A[A-Za-z0-9_=-]{40,}$/ },
  { kind: 'algolia-admin-key', description: 'Algolia admin or write API key', name: /algolia.*(?:admin|write|secret)/i, value: /^[0-9a-f]{32}$/ },
  { kind: 'vault-token', description: 'HashiCorp Vault token', name: /vault/i, value: /^s\.[A-Za-z0-9]{24}$/ },
];

/** One lowercase-literal gate for every provider detector: files without any of these skip them all. */
export const PROVIDER_KEYWORDS: readonly string[] = [...new Set(PROVIDER_DETECTORS.flatMap((entry) => entry.keywords))];
