"""Qt-free types shared by every layer of qtmail."""
