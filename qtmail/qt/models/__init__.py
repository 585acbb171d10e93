"""Item models over the local cache: folders per account, and one folder's messages."""
