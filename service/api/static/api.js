// The page's one way to call the BriefQA HTTP API (v1) of the server that served it.

export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Call the API; resolve with parsed JSON or reject with an ApiError carrying its message. */
export async function api(path, { method = "GET", json, body, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, signal };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(
      "Could not reach the BriefQA server. Check that it is running, then try again.", 0, "network_error",
    );
  }
  let data = null;
  if ((response.headers.get("Content-Type") || "").includes("json")) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const error = data && typeof data === "object" ? data.error : null;
    const message = error && typeof error.message === "string" && error.message
      ? error.message
      : `The server answered with status ${response.status}${response.statusText ? ` (${response.statusText})` : ""}.`;
    throw new ApiError(message, response.status, error && error.code ? error.code : null);
  }
  if (data === null) {
    throw new ApiError("The server's reply was not JSON.", response.status, "bad_response");
  }
  return data;
}
