"""The school's policy as data (policies/*.toml) and the checks that apply it."""
