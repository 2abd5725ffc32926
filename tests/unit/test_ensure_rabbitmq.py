"""scripts/ensure-rabbitmq.sh says where the broker should be without printing its credentials.

The script is sourced, which only defines its functions: nothing is started or installed."""

import subprocess

import pytest

from devtools.launcher import ROOT


def not_answering_message(amqp_uri: str) -> str:
    done = subprocess.run(
        ["bash", "-c", 'source scripts/ensure-rabbitmq.sh && say_not_answering "$AMQP_URI"'],
        cwd=ROOT,
        env={"AMQP_URI": amqp_uri, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert done.stdout == ""
    return done.stderr


@pytest.mark.parametrize(
    ("amqp_uri", "shown"),
    [
        ("amqp://renda:S3cret-Pw@127.0.0.1:1/prod", "127.0.0.1:1/prod"),
        ("amqps://renda:S3cret@Pw/x@mq.example.cn:5671/%2F", "mq.example.cn:5671/%2F"),
        ("amqp://renda:S3cret-Pw@10.0.0.1:5672/a;amqp://renda:S3cret-Pw@10.0.0.2:5672/a", "10.0.0.2:5672/a"),
    ],
)
def test_the_broker_is_named_by_host_port_and_vhost_without_credentials(amqp_uri, shown):
    message = not_answering_message(amqp_uri)
    assert f"broker not answering at {shown}" in message and "RabbitMQ 未响应" in message
    assert "S3cret" not in message and "renda" not in message


def test_a_uri_without_credentials_is_shown_whole():
    assert "broker not answering at 127.0.0.1:5672/" in not_answering_message("amqp://127.0.0.1:5672/")
