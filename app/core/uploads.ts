/**
 * What forms and the upload service agree on (docs/decisions/005-uploads.md). Pure: the
 * browser uses the same numbers for its hints, the server is the only one that decides.
 */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** For a file input's `accept`: iOS Safari then hands over HEIC photos as JPEG. */
export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export const UPLOAD_KINDS = ['photo', 'consentForm', 'receipt', 'evidence'] as const;
/** Kinds that are never public, whatever the caller asks (a receipt, a signed form, a checklist's evidence). */
export const PRIVATE_UPLOAD_KINDS: readonly UploadKind[] = ['consentForm', 'receipt', 'evidence'];
export type UploadKind = (typeof UPLOAD_KINDS)[number];

export const UPLOAD_VISIBILITIES = ['public', 'private'] as const;
export type UploadVisibility = (typeof UPLOAD_VISIBILITIES)[number];

/** Why an upload was refused; forms show a translated message for each. */
export const UPLOAD_ERROR_REASONS = ['tooLarge', 'unsupportedType', 'corrupt', 'tooManyPixels', 'empty'] as const;
export type UploadErrorReason = (typeof UPLOAD_ERROR_REASONS)[number];
