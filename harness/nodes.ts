/** This package's node and credential types, registered for the engine harness under the names its nodes use. */
import type { IDataObject } from 'n8n-workflow';
import { ApiModelsApi } from '../credentials/ApiModelsApi.credentials';
import { ApiModelsVideo } from '../nodes/ApiModelsVideo/ApiModelsVideo.node';
import { ApiModelsCallbackTrigger } from '../nodes/ApiModelsCallbackTrigger/ApiModelsCallbackTrigger.node';
import type { HarnessNode } from './engine';

export const VIDEO_NODE = 'APIModels Video';
export const VIDEO_TYPE = 'apiModelsVideo';
export const TRIGGER_TYPE = 'apiModelsCallbackTrigger';

export const nodeTypes = {
	[VIDEO_TYPE]: new ApiModelsVideo(),
	[TRIGGER_TYPE]: new ApiModelsCallbackTrigger(),
};
export const credentialTypes = [new ApiModelsApi()];

/** The credential pointing at an API (the emulator or the real one), with a Callback Secret if given. */
export function credentialsFor(api: { url: string; apiKey: string }, apiKey = api.apiKey, callbackSecret?: string) {
	return { apiModelsApi: { apiKey, baseUrl: api.url, ...(callbackSecret !== undefined && { callbackSecret }) } };
}

export function videoNode(parameters: IDataObject, extra: Partial<HarnessNode> = {}): HarnessNode {
	return { name: VIDEO_NODE, type: VIDEO_TYPE, parameters: { resource: 'video', ...parameters }, ...extra };
}
