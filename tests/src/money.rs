//! Types of the tests' own, named by the golden case `custom_types`
//! (`rust_type: crate::money::Cents`): each implements the conversion
//! traits of every driver (rusqlite, postgres-types, sqlx), as a user's
//! type would.

use std::error::Error;

use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use rusqlite::types::{FromSqlResult, ToSqlOutput, ValueRef};

type BoxError = Box<dyn Error + Sync + Send>;

/// An amount of money in cents, stored as an integer (`BIGINT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Cents(pub i64);

impl From<i64> for Cents {
    fn from(cents: i64) -> Cents {
        Cents(cents)
    }
}

impl rusqlite::ToSql for Cents {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        rusqlite::ToSql::to_sql(&self.0)
    }
}

impl rusqlite::types::FromSql for Cents {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        <i64 as rusqlite::types::FromSql>::column_result(value).map(Cents)
    }
}

impl ToSql for Cents {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, BoxError> {
        ToSql::to_sql(&self.0, ty, out)
    }

    fn accepts(ty: &Type) -> bool {
        <i64 as ToSql>::accepts(ty)
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Cents {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Cents, BoxError> {
        <i64 as FromSql>::from_sql(ty, raw).map(Cents)
    }

    fn accepts(ty: &Type) -> bool {
        <i64 as FromSql>::accepts(ty)
    }
}

/// A stock-keeping unit: upper-case letters and digits, stored as text.
/// It has no `Default` (an empty code is no code), so a `New...` struct
/// holding one without a schema `default` has none either.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sku(String);

impl Sku {
    pub fn new(code: &str) -> Result<Sku, String> {
        if !code.is_empty()
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            Ok(Sku(code.to_owned()))
        } else {
            Err(format!("{code:?} is not a SKU (A-Z, 0-9)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl rusqlite::ToSql for Sku {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.as_str()))
    }
}

impl rusqlite::types::FromSql for Sku {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Sku::new(value.as_str()?).map_err(|e| rusqlite::types::FromSqlError::Other(e.into()))
    }
}

impl ToSql for Sku {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, BoxError> {
        ToSql::to_sql(&self.0.as_str(), ty, out)
    }

    fn accepts(ty: &Type) -> bool {
        <&str as ToSql>::accepts(ty)
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Sku {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Sku, BoxError> {
        Ok(Sku::new(<&str as FromSql>::from_sql(ty, raw)?)?)
    }

    fn accepts(ty: &Type) -> bool {
        <&str as FromSql>::accepts(ty)
    }
}

impl sqlx::Type<sqlx::Postgres> for Cents {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <i64 as sqlx::Type<sqlx::Postgres>>::type_info()
    }
}

impl sqlx::Encode<'_, sqlx::Postgres> for Cents {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, BoxError> {
        sqlx::Encode::<sqlx::Postgres>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Postgres> for Cents {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Cents, BoxError> {
        <i64 as sqlx::Decode<sqlx::Postgres>>::decode(value).map(Cents)
    }
}

impl sqlx::Type<sqlx::Postgres> for Sku {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <&str as sqlx::Type<sqlx::Postgres>>::type_info()
    }

    fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
        <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
    }
}

impl sqlx::Encode<'_, sqlx::Postgres> for Sku {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, BoxError> {
        sqlx::Encode::<sqlx::Postgres>::encode_by_ref(&self.0.as_str(), buf)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Postgres> for Sku {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Sku, BoxError> {
        Ok(Sku::new(<&str as sqlx::Decode<sqlx::Postgres>>::decode(
            value,
        )?)?)
    }
}

impl sqlx::Type<sqlx::MySql> for Cents {
    fn type_info() -> sqlx::mysql::MySqlTypeInfo {
        <i64 as sqlx::Type<sqlx::MySql>>::type_info()
    }
}

impl sqlx::Encode<'_, sqlx::MySql> for Cents {
    fn encode_by_ref(&self, buf: &mut Vec<u8>) -> Result<sqlx::encode::IsNull, BoxError> {
        sqlx::Encode::<sqlx::MySql>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::MySql> for Cents {
    fn decode(value: sqlx::mysql::MySqlValueRef<'r>) -> Result<Cents, BoxError> {
        <i64 as sqlx::Decode<sqlx::MySql>>::decode(value).map(Cents)
    }
}

impl sqlx::Type<sqlx::MySql> for Sku {
    fn type_info() -> sqlx::mysql::MySqlTypeInfo {
        <&str as sqlx::Type<sqlx::MySql>>::type_info()
    }

    fn compatible(ty: &sqlx::mysql::MySqlTypeInfo) -> bool {
        <&str as sqlx::Type<sqlx::MySql>>::compatible(ty)
    }
}

impl sqlx::Encode<'_, sqlx::MySql> for Sku {
    fn encode_by_ref(&self, buf: &mut Vec<u8>) -> Result<sqlx::encode::IsNull, BoxError> {
        sqlx::Encode::<sqlx::MySql>::encode_by_ref(&self.0.as_str(), buf)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::MySql> for Sku {
    fn decode(value: sqlx::mysql::MySqlValueRef<'r>) -> Result<Sku, BoxError> {
        Ok(Sku::new(<&str as sqlx::Decode<sqlx::MySql>>::decode(
            value,
        )?)?)
    }
}

impl sqlx::Type<sqlx::Sqlite> for Cents {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <i64 as sqlx::Type<sqlx::Sqlite>>::type_info()
    }

    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <i64 as sqlx::Type<sqlx::Sqlite>>::compatible(ty)
    }
}

impl sqlx::Encode<'_, sqlx::Sqlite> for Cents {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Sqlite as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, BoxError> {
        sqlx::Encode::<sqlx::Sqlite>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for Cents {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Cents, BoxError> {
        <i64 as sqlx::Decode<sqlx::Sqlite>>::decode(value).map(Cents)
    }
}

impl sqlx::Type<sqlx::Sqlite> for Sku {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <&str as sqlx::Type<sqlx::Sqlite>>::type_info()
    }

    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <&str as sqlx::Type<sqlx::Sqlite>>::compatible(ty)
    }
}

impl sqlx::Encode<'_, sqlx::Sqlite> for Sku {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Sqlite as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, BoxError> {
        sqlx::Encode::<sqlx::Sqlite>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for Sku {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Sku, BoxError> {
        Ok(Sku::new(<&str as sqlx::Decode<sqlx::Sqlite>>::decode(
            value,
        )?)?)
    }
}
