"""The portal shell has no models; this module lets post_migrate reach iprof (roles)."""
