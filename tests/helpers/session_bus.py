"""A private D-Bus session bus (what dbus-run-session makes) for tests that need a real
desktop service on it (notifications, the Secret Service), stopped at teardown. Never
the user's own bus."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

NOTIFICATIONS = "org.freedesktop.Notifications"

_NO_ACTIVATION = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
"""A session bus like dbus-daemon --session's, without <servicedir>: nothing is
activated on demand."""


class Bus:
    """A private session bus (what dbus-run-session makes), stopped at teardown."""

    def __init__(self, tmp: Path, *, activation: bool = True) -> None:
        """``activation`` False: no service is started on demand (the system's session
        config would start e.g. gnome-keyring-daemon with the user's real home)."""
        if activation:
            config = ["--session"]
        else:
            path = tmp / "session-bus.conf"
            path.write_text(_NO_ACTIVATION)
            config = [f"--config-file={path}"]
        self.process = subprocess.Popen(
            ["dbus-daemon", *config, "--nofork", "--nosyslog", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        self.address = self.process.stdout.readline().strip()  # printed once it listens
        self.env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.address}
        self.tmp = tmp
        self.others: list[subprocess.Popen[bytes]] = []

    def wait_for_name(self, name: str, timeout: float = 10.0) -> None:
        """Block until ``name`` has an owner: NameOwnerChanged, no polling."""
        from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        with open_dbus_connection(bus=self.address) as connection:
            rule = MatchRule(type="signal", sender="org.freedesktop.DBus",
                             interface="org.freedesktop.DBus", member="NameOwnerChanged")
            rule.add_arg_condition(0, name)
            connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=timeout)
            with connection.filter(rule) as queue:
                bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                                  interface="org.freedesktop.DBus")
                reply = connection.send_and_get_reply(
                    new_method_call(bus, "NameHasOwner", "s", (name,)), timeout=timeout)
                if not reply.body[0]:
                    connection.recv_until_filtered(queue, timeout=timeout)

    def start_dunst(self) -> None:
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-nolisten", "tcp"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.others.append(xvfb)
        assert xvfb.stdout is not None
        display = xvfb.stdout.readline().decode().strip()  # written once X is ready
        self.env["DISPLAY"] = f":{display}"
        config = self.tmp / "dunstrc"
        config.write_text("[global]\n    timeout = 0\n")  # stay displayed while we look
        self.others.append(subprocess.Popen(
            ["dunst", "-config", str(config)], env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        self.wait_for_name(NOTIFICATIONS)

    def dunstctl(self, *args: str) -> str:
        return subprocess.run(["dunstctl", *args], env=self.env, check=True,
                              capture_output=True, text=True, timeout=10).stdout

    def stop(self) -> None:
        for process in [*reversed(self.others), self.process]:
            process.terminate()
            process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        for process in self.others:
            if process.stdout is not None:
                process.stdout.close()
