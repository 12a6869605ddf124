import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

const REJECTED_KEY =
	'Invalid API key: the API rejected it. Copy the key again from the APIModels console.';

const redirected = (status: number) =>
	`The Base URL answered with a redirect (HTTP ${status}), which was not followed: the API key is only sent to the Base URL's host. Set the Base URL to the address the API answers at itself.`;

export class ApiModelsApi implements ICredentialType {
	name = 'apiModelsApi';

	displayName = 'APIModels API';

	icon: Icon = {
		light: 'file:../nodes/ApiModelsVideo/apimodels.svg',
		dark: 'file:../nodes/ApiModelsVideo/apimodels.dark.svg',
	};

	documentationUrl = 'https://github.com/apimodels/n8n-nodes-apimodels#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. sk_...',
			description: 'The key from the APIModels console',
		},
		{
			displayName: 'Callback Secret',
			name: 'callbackSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'e.g. a long random string',
			description:
				'Optional. Any long random string: an APIModels Callback Trigger with this credential then starts only for callbacks carrying the token derived from it (Security: Callback Secret, its default), which Create Video with this credential adds to its Callback URL by itself',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://apimodels.app',
			description:
				'Change only to reach the API through a proxy or gateway, or a local emulator in tests',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// Listing models is free, so it proves the key without spending credits.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/v1/models',
			// A redirect would take the key to the host it names.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: REJECTED_KEY },
			},
			...[301, 302, 303, 307, 308].map((value) => ({
				type: 'responseCode' as const,
				properties: { value, message: redirected(value) },
			})),
		],
	};
}
