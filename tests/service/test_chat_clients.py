"""Real chat clients against a real server: follow-up turns, token usage, streamed and not.

The official `openai` package and the `llm` command-line client (configured through its
extra-openai-models.yaml with our base URL), as users run them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openai
import pytest

pytestmark = pytest.mark.slow

FIRST = "What is China's position on the war in Ukraine?"
FOLLOW_UP = "What should the EU do about it?"
UKRAINE_BRIEF = "Neither Neutral nor Mediator"


@pytest.fixture(scope="module")
def client(server) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.base}/v1", api_key="x", max_retries=0, timeout=60)


def _follow_up_messages(client: openai.OpenAI) -> list[dict[str, str]]:
    first = client.chat.completions.create(
        model="briefqa", messages=[{"role": "user", "content": FIRST}]
    )
    return [
        {"role": "user", "content": FIRST},
        {"role": "assistant", "content": first.choices[0].message.content or ""},
        {"role": "user", "content": FOLLOW_UP},
    ]


def _sources(content: str) -> list[str]:
    return content.split("\n\nSources:\n", 1)[1].splitlines()


def test_a_follow_up_answers_about_the_earlier_topic(client: openai.OpenAI) -> None:
    alone = client.chat.completions.create(
        model="briefqa", messages=[{"role": "user", "content": FOLLOW_UP}]
    )
    followed = client.chat.completions.create(model="briefqa", messages=_follow_up_messages(client))
    content = followed.choices[0].message.content or ""
    # Recommendations of the Ukraine brief, as a Markdown list, every source from that brief.
    assert content.startswith("1. ")
    assert all(UKRAINE_BRIEF in line for line in _sources(content))
    # Without the earlier turn the same words are not about Ukraine.
    assert not all(UKRAINE_BRIEF in line for line in _sources(alone.choices[0].message.content))


def test_usage_counts_tokens_whole_and_streamed(client: openai.OpenAI) -> None:
    messages = _follow_up_messages(client)
    whole = client.chat.completions.create(model="briefqa", messages=messages)
    assert whole.usage is not None
    assert whole.usage.prompt_tokens > len(FOLLOW_UP.split())
    assert whole.usage.completion_tokens > 0
    assert whole.usage.total_tokens == whole.usage.prompt_tokens + whole.usage.completion_tokens
    text, usage = "", None
    for chunk in client.chat.completions.create(
        model="briefqa", messages=messages, stream=True, stream_options={"include_usage": True}
    ):
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
        if chunk.usage is not None:
            usage = chunk.usage
    assert text == whole.choices[0].message.content
    assert usage is not None and usage.total_tokens == whole.usage.total_tokens


def _llm(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "llm"
    env = {**os.environ, "LLM_USER_PATH": str(home), "OPENAI_API_KEY": "unused"}
    return subprocess.run(
        [str(command), *args], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_the_llm_command_line_client_asks_and_follows_up(
    server, tmp_path: Path, streamed: bool
) -> None:
    (tmp_path / "extra-openai-models.yaml").write_text(
        f'- model_id: briefqa\n  model_name: briefqa\n  api_base: "{server.base}/v1"\n'
    )
    stream = [] if streamed else ["--no-stream"]
    first = _llm(tmp_path, "-m", "briefqa", *stream, FIRST)
    assert first.returncode == 0, first.stderr
    assert "[1]" in first.stdout and "Sources:" in first.stdout
    second = _llm(tmp_path, "-c", *stream, FOLLOW_UP)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("1. ")
    assert all(UKRAINE_BRIEF in line for line in _sources(second.stdout.rstrip("\n")))
    logged = _llm(tmp_path, "logs", "-n", "1", "--json")
    assert '"input_tokens"' in logged.stdout
