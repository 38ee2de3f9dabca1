"""SQLAlchemy 2.x adapters: tables, repositories, unit of work. SQLite and MySQL/MariaDB."""
