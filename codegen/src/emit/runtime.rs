//! Items of the generated file's root, the same for every driver: the
//! `Loaded` field of preloaded associations, `Changes`, `Edge`, and the
//! support function that hands grouped rows to their owners.

use proc_macro2::TokenStream;
use quote::quote;

use super::struct_attributes;
use crate::ir::StructOptions;

/// `Loaded<T>`: an association's field on its owner's row struct, with the
/// derives of the rows that hold one, and serde's by hand when they derive
/// `(Serialize, Deserialize)`.
pub(crate) fn loaded_type(options: &StructOptions, serde: (bool, bool)) -> TokenStream {
    let attributes = struct_attributes(quote!(Debug, Clone, PartialEq, Default), options);
    let serialize = serde.0.then(|| {
        quote! {
            #[allow(dead_code)]
            impl<T> Loaded<T> {
                /// serde's `skip_serializing_if` on association fields: a
                /// row leaves out what was not loaded.
                fn is_not_loaded(&self) -> bool {
                    !self.is_loaded()
                }
            }

            /// A loaded association serializes as its value (`NotLoaded` as
            /// none; a row struct leaves such a field out).
            impl<T: ::serde::Serialize> ::serde::Serialize for Loaded<T> {
                fn serialize<S: ::serde::Serializer>(
                    &self,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    match self {
                        Loaded::Loaded(value) => value.serialize(serializer),
                        Loaded::NotLoaded => serializer.serialize_none(),
                    }
                }
            }
        }
    });
    let deserialize = serde.1.then(|| {
        quote! {
            /// A value that is there is loaded (`null` too: a belongs_to or
            /// has_one without a row); a row struct's field that is missing
            /// is `NotLoaded`.
            impl<'de, T: ::serde::Deserialize<'de>> ::serde::Deserialize<'de> for Loaded<T> {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    T::deserialize(deserializer).map(Loaded::Loaded)
                }
            }
        }
    });
    quote! {
        /// An association's rows on its owner: `NotLoaded` until the
        /// association's `preload` fills it.
        #attributes
        #[allow(dead_code)]
        pub enum Loaded<T> {
            #[default]
            NotLoaded,
            Loaded(T),
        }

        #[allow(dead_code)]
        impl<T> Loaded<T> {
            /// The loaded value, if it was loaded.
            pub fn get(&self) -> ::std::option::Option<&T> {
                match self {
                    Loaded::Loaded(value) => ::std::option::Option::Some(value),
                    Loaded::NotLoaded => ::std::option::Option::None,
                }
            }

            /// The loaded value, mutably, if it was loaded.
            pub fn get_mut(&mut self) -> ::std::option::Option<&mut T> {
                match self {
                    Loaded::Loaded(value) => ::std::option::Option::Some(value),
                    Loaded::NotLoaded => ::std::option::Option::None,
                }
            }

            pub fn is_loaded(&self) -> bool {
                matches!(self, Loaded::Loaded(_))
            }

            /// The loaded value, or the error that it was not preloaded.
            pub fn loaded(&self) -> ::std::result::Result<&T, NotPreloaded> {
                self.get().ok_or(NotPreloaded)
            }
        }

        /// What reading an association that was not preloaded gives
        /// (`Loaded::loaded`, `rows`, `row`): a mistake in the program,
        /// which says so instead of passing for "no rows".
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(dead_code)]
        pub struct NotPreloaded;

        impl ::std::fmt::Display for NotPreloaded {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("the association was not preloaded: call its `preload` first")
            }
        }

        impl ::std::error::Error for NotPreloaded {}

        #[allow(dead_code)]
        impl<T> Loaded<::std::vec::Vec<T>> {
            /// The preloaded rows (`&movie.actors.rows()?[0]`); an error when
            /// they were not preloaded, which an empty list would hide.
            pub fn rows(&self) -> ::std::result::Result<&[T], NotPreloaded> {
                self.loaded().map(::std::vec::Vec::as_slice)
            }

            /// The loaded rows; none when not loaded.
            pub fn iter(&self) -> ::std::slice::Iter<'_, T> {
                self.get().map_or(&[][..], |rows| rows.as_slice()).iter()
            }

            /// The loaded rows, mutably (none when not loaded): what a nested
            /// preload takes, e.g. `movies.iter_mut().flat_map(|m| m.actors.iter_mut())`.
            pub fn iter_mut(&mut self) -> ::std::slice::IterMut<'_, T> {
                match self {
                    Loaded::Loaded(rows) => rows.iter_mut(),
                    Loaded::NotLoaded => [].iter_mut(),
                }
            }
        }

        #[allow(dead_code)]
        impl<T> Loaded<::std::option::Option<::std::boxed::Box<T>>> {
            /// The preloaded row of a belongs_to or has_one: `Ok(None)` when
            /// there is none (a NULL foreign key, no child), an error when it
            /// was not preloaded.
            pub fn row(&self) -> ::std::result::Result<::std::option::Option<&T>, NotPreloaded> {
                self.loaded().map(::std::option::Option::as_deref)
            }

            /// The loaded row, if there is one.
            pub fn iter(&self) -> ::std::option::IntoIter<&T> {
                self.get().and_then(|row| row.as_deref()).into_iter()
            }

            /// The loaded row, mutably, if there is one: what a nested preload takes.
            pub fn iter_mut(&mut self) -> ::std::option::IntoIter<&mut T> {
                self.get_mut().and_then(|row| row.as_deref_mut()).into_iter()
            }
        }

        #serialize
        #deserialize
    }
}

/// `Edge<L, T>`: a target row with the join-schema row that links it.
pub(crate) fn edge_type(options: &StructOptions) -> TokenStream {
    let attributes = struct_attributes(quote!(Debug, Clone, PartialEq), options);
    quote! {
        /// A row reached through a join schema, with the join row that links
        /// it (its own key, extra fields, timestamps): what `preload_edges`
        /// and `list_edges` return.
        #attributes
        #[allow(dead_code)]
        pub struct Edge<L, T> {
            /// The join row.
            pub link: L,
            /// The row it links to.
            pub target: T,
        }
    }
}

/// `Changes`: what a many_to_many `replace` did.
pub(crate) fn changes_type() -> TokenStream {
    quote! {
        /// What a `replace` changed in a join table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        #[allow(dead_code)]
        pub struct Changes {
            /// Links that were not there and now are.
            pub added: usize,
            /// Links that were there and are gone.
            pub removed: usize,
        }
    }
}

/// The generated `distribute`: gives each owner its group of rows
/// (backend-neutral, part of every backend's `mortise_support`).
pub(crate) fn distribute() -> TokenStream {
    quote! {
        /// Gives each owner the group of rows of its key (`None` when the owner
        /// has no key, e.g. a NULL foreign key, or its key has no rows). One
        /// pass, one look-up per owner: each takes its group out of `groups`
        /// and sets it at once, so each owner row is visited once. An owner
        /// listed again (the same key) gets a `copy` of what the first got.
        pub(crate) fn distribute<O, K, V>(
            owners: &mut [&mut O],
            mut groups: ::std::collections::HashMap<K, V>,
            key: impl ::std::ops::Fn(&O) -> ::std::option::Option<K>,
            mut set: impl ::std::ops::FnMut(&mut O, ::std::option::Option<V>),
            copy: impl ::std::ops::Fn(&O) -> ::std::option::Option<V>,
        ) where
            K: ::std::hash::Hash + ::std::cmp::Eq,
        {
            // The owners whose key found no group: it has no rows, or an
            // owner listed before took them.
            let mut missed: ::std::collections::HashMap<K, ::std::vec::Vec<usize>> =
                ::std::collections::HashMap::new();
            for (index, owner) in owners.iter_mut().enumerate() {
                let ::std::option::Option::Some(key) = key(owner) else {
                    set(owner, ::std::option::Option::None);
                    continue;
                };
                match groups.remove(&key) {
                    ::std::option::Option::Some(group) => set(owner, ::std::option::Option::Some(group)),
                    ::std::option::Option::None => missed.entry(key).or_default().push(index),
                }
            }
            if missed.is_empty() {
                return;
            }
            // The first owner of a missed key took its group, unless it
            // missed too (the key has no rows): the others get a copy.
            let mut copies: ::std::vec::Vec<(usize, ::std::option::Option<V>)> = ::std::vec::Vec::new();
            for (index, owner) in owners.iter().enumerate() {
                let ::std::option::Option::Some(repeats) = key(owner).and_then(|key| missed.remove(&key)) else {
                    continue;
                };
                let took = repeats.first() != ::std::option::Option::Some(&index);
                for repeat in repeats {
                    copies.push((repeat, if took { copy(owner) } else { ::std::option::Option::None }));
                }
            }
            for (index, group) in copies {
                set(owners[index], group);
            }
        }
    }
}

/// The generated `sorted`: a query's rows in an association's order
/// (part of `mortise_support` when an association sorts in Rust).
pub(crate) fn sorted() -> TokenStream {
    quote! {
        /// The rows of `rows`, sorted by `order`, in place. Unstable: the
        /// rows `order` finds equal have the same key (or no key and the
        /// same columns).
        pub(crate) fn sorted<T, E>(
            rows: ::std::result::Result<::std::vec::Vec<T>, E>,
            order: impl ::std::ops::FnMut(&T, &T) -> ::std::cmp::Ordering,
        ) -> ::std::result::Result<::std::vec::Vec<T>, E> {
            let mut rows = rows?;
            rows.sort_unstable_by(order);
            ::std::result::Result::Ok(rows)
        }
    }
}
