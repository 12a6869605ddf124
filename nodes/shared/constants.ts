export const CREDENTIAL_TYPE = 'apiModelsApi';

export const API_PATHS = {
	generations: '/api/v1/video/generations',
	models: '/api/v1/models',
	files: '/api/v1/files',
} as const;

/** The vendor keeps result videos and uploads for this long. */
export const RETENTION_DAYS = 7;
