package io.runstream.ingress.web;

import tools.jackson.databind.JsonNode;

/** Body of {@code POST /v1/workflows/{workflowId}/executions}. */
record StartExecutionRequest(JsonNode inputData) {
}
