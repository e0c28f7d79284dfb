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

/// The generated `Groups`: a preload's rows grouped by their owner's key,
/// then handed to the owners by `distribute` (backend-neutral, part of
/// every backend's `mortise_support`). Each association's `preload` is a loop that pushes
/// rows and one call to `fill`: the grouping is written, type-checked and
/// borrow-checked once per schema, not once per association.
pub(crate) fn groups() -> TokenStream {
    quote! {
        /// Rows grouped by the key of the owner each belongs to.
        pub(crate) struct Groups<K, G> {
            groups: ::std::collections::HashMap<K, G>,
        }

        impl<K: ::std::hash::Hash + ::std::cmp::Eq, G> Groups<K, G> {
            /// Room for one group per owner: at most that many, never grown.
            pub(crate) fn with_capacity(owners: usize) -> Self {
                Groups { groups: ::std::collections::HashMap::with_capacity(owners) }
            }

            /// Keeps the first row of each owner, in the order they come (a
            /// has_one with several rows, a belongs_to).
            pub(crate) fn keep_first(&mut self, key: K, row: G) {
                self.groups.entry(key).or_insert(row);
            }

            /// Sets each owner's field to its row (`None` when it has none).
            pub(crate) fn fill_one<O>(
                self,
                owners: &mut [&mut O],
                key: impl ::std::ops::Fn(&O) -> ::std::option::Option<K>,
                field: impl ::std::ops::Fn(&mut O) -> &mut super::Loaded<::std::option::Option<::std::boxed::Box<G>>>,
            ) where
                G: ::std::clone::Clone,
            {
                distribute(
                    owners,
                    self.groups,
                    key,
                    |owner, row| *field(owner) = super::Loaded::Loaded(row.map(::std::boxed::Box::new)),
                    |owner| field(owner).get().and_then(|row| row.as_deref().cloned()),
                );
            }
        }

        impl<K: ::std::hash::Hash + ::std::cmp::Eq, T> Groups<K, ::std::vec::Vec<T>> {
            /// Adds `row` to its owner's group.
            pub(crate) fn push(&mut self, key: K, row: T) {
                self.groups.entry(key).or_default().push(row);
            }

            /// Sorts each group by `order`, in place. Unstable: rows that
            /// `order` finds equal have the same key (or no key and the same
            /// columns), so no order between them could be seen (edges of
            /// one target keep none: SQL gave them none).
            pub(crate) fn sort(&mut self, mut order: impl ::std::ops::FnMut(&T, &T) -> ::std::cmp::Ordering) {
                for group in self.groups.values_mut() {
                    group.sort_unstable_by(&mut order);
                }
            }

            /// Sets each owner's field to its group (empty when it has none).
            pub(crate) fn fill<O>(
                self,
                owners: &mut [&mut O],
                key: impl ::std::ops::Fn(&O) -> ::std::option::Option<K>,
                field: impl ::std::ops::Fn(&mut O) -> &mut super::Loaded<::std::vec::Vec<T>>,
            ) where
                T: ::std::clone::Clone,
            {
                distribute(
                    owners,
                    self.groups,
                    key,
                    |owner, group| *field(owner) = super::Loaded::Loaded(group.unwrap_or_default()),
                    |owner| field(owner).get().cloned(),
                );
            }
        }

        /// Gives each owner the group of rows of its key (`None` when the owner
        /// has no key, e.g. a NULL foreign key, or its key has no rows). One
        /// pass, one look-up per owner: each takes its group out of `groups`
        /// and sets it at once, so each owner row is visited once. An owner
        /// listed again (the same key) gets a `copy` of what the first got.
        fn distribute<O, K, V>(
            owners: &mut [&mut O],
            mut groups: ::std::collections::HashMap<K, V>,
            key: impl ::std::ops::Fn(&O) -> ::std::option::Option<K>,
            mut set: impl ::std::ops::FnMut(&mut O, ::std::option::Option<V>),
            copy: impl ::std::ops::Fn(&mut O) -> ::std::option::Option<V>,
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
            for (index, owner) in owners.iter_mut().enumerate() {
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

/// The generated `counts_in_order`: an association's `counts`, one per
/// owner in the order given, from the counts its query found per key.
pub(crate) fn counts_in_order() -> TokenStream {
    quote! {
        /// Each owner's count (0 when its key found none, or it has no key).
        pub(crate) fn counts_in_order<O, K: ::std::hash::Hash + ::std::cmp::Eq>(
            owners: &[&O],
            counts: &::std::collections::HashMap<K, u64>,
            key: impl ::std::ops::Fn(&O) -> ::std::option::Option<K>,
        ) -> ::std::vec::Vec<u64> {
            owners
                .iter()
                .map(|owner| key(owner).and_then(|key| counts.get(&key).copied()).unwrap_or(0))
                .collect()
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
