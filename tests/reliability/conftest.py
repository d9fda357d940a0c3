def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "reliability: concurrency and fault tests through a real gunicorn on PostgreSQL",
    )
