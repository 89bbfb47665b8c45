"""Publishing: addresses, editions, git history, permalinks and the atomic site swap."""
